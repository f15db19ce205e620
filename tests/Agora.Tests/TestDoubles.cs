using Ose.Agora.Vectors;

namespace Ose.Agora.Tests;

/// <summary>
/// The torus toy of <see cref="TorusDemo"/> scaled down to run in seconds: 40 training points from a third of the
/// torus, 60 dev points from all of it, MLP 3-32-32-2 students trained for 150 steps, balls of radius 0.4.
/// </summary>
static class SmallTorus
{
    public const double Radius = 0.4;
    public const double MinimumConfidence = 0.6;
    public const int PointsPerSeed = 6;

    public static readonly LabelledPoint<float[], int>[] Train, Dev;

    static SmallTorus()
    {
        var random = new Random(11);
        Train = TorusDemo.Sample(random, 40, 2 * Math.PI / 3);
        Dev = TorusDemo.Sample(random, 60, 2 * Math.PI);
    }

    public static AgoraOptions Options(int roundLimit, bool forceLabeller = false) => new(
        Θ: [new HyperParameters(LearningRate: 1e-2, Steps: 150, BatchSize: 16, EvaluateEvery: 50),
            new HyperParameters(LearningRate: 3e-3, Steps: 150, BatchSize: 16, EvaluateEvery: 50),
            new HyperParameters(LearningRate: 3e-2, Steps: 150, BatchSize: 16, EvaluateEvery: 50)],
        RoundLimit: roundLimit, PointsPerSeed: PointsPerSeed, MinimumConfidence: MinimumConfidence, ForceLabeller: forceLabeller, Seed: 5);

    public static MlpTrainer Trainer() => new([3, 32, 32], 2, initialisationSeed: 5);

    public static AgoraLoop<float[], int> Loop(AgoraOptions options, IStudentTrainer<float[], int>? trainer = null, ILabeller<float[], int>? labeller = null) =>
        new(trainer ?? Trainer(), new BallSampler(Radius), labeller ?? new TorusOracle(), new VectorFormat(), new ClassLabels(), options);
}

/// <summary>Labels by the torus's own rule (the sign of sin 3φ), surer the further a point is from a sector boundary.</summary>
sealed class TorusOracle : ILabeller<float[], int>
{
    public (int Label, double Confidence)[] Label(IReadOnlyList<float[]> points) =>
        points.Select(p => (TorusDemo.Label(p), Confidence(p))).ToArray();

    public static double Confidence(float[] p) => 0.5 + 0.5 * Math.Abs(Math.Sin(3 * Math.Atan2(p[1], p[0])));
}

/// <summary>A labeller that answers the same class, fully sure, whatever the point.</summary>
sealed class ConstantLabeller(int label) : ILabeller<float[], int>
{
    public (int Label, double Confidence)[] Label(IReadOnlyList<float[]> points) => points.Select(_ => (label, 1.0)).ToArray();
}

/// <summary>Passes everything to a real trainer and keeps every prediction it made, in order.</summary>
sealed class RecordingTrainer(IStudentTrainer<float[], int> inner) : IStudentTrainer<float[], int>
{
    public List<int[]> Predictions { get; } = [];

    public IStudent Train(IReadOnlyList<LabelledPoint<float[], int>> train, IReadOnlyList<LabelledPoint<float[], int>> dev, HyperParameters θ, long seed,
        CancellationToken cancellation) => inner.Train(train, dev, θ, seed, cancellation);

    public int[] Predict(IStudent student, IReadOnlyList<float[]> points)
    {
        var predicted = inner.Predict(student, points);
        Predictions.Add(predicted);
        return predicted;
    }

    public double Score(IReadOnlyList<int> predicted, IReadOnlyList<int> gold) => inner.Score(predicted, gold);
}

/// <summary>Reports progress on the caller's thread, as the loop runs (<see cref="Progress{T}"/> would post it elsewhere).</summary>
sealed class Callback(Action<string> report) : IProgress<string>
{
    public void Report(string value) => report(value);
}

/// <summary>A fresh temporary folder, removed with everything in it.</summary>
sealed class TemporaryFolder : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("ose-agora-").FullName;

    public string Sub(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
