using System.Globalization;

namespace Ose.Agora.Vectors;

/// <summary>What the torus demo measured.</summary>
public sealed record TorusDemoResult(AgoraResult<float[], int> Agora, IReadOnlyList<LabelledPoint<float[], int>> Train, double LabellerDevAccuracy,
    string RunFolder)
{
    /// <summary>The training set the students of a round saw: the task's points and those generated in earlier rounds.</summary>
    public LabelledPoint<float[], int>[] TrainingSetOf(AgoraRound round) =>
        Train.Concat(Agora.Generated.Where(p => p.Origin!.Round < round.Round)).ToArray();
}

/// <summary>
/// The toy of the Bort blog post, in our version: points in a solid torus (major radius 2, minor radius 1) labelled
/// by the sign of sin 3φ, six alternating sectors around the axis. The student's training sample is unrepresentative:
/// it comes only from φ in [0, 2π/3), two of the six sectors; dev and test cover the whole torus. The labeller is an
/// MLP 3-64-64-2 trained on 2,000 points from the whole torus. Students are MLPs 3-32-32-2; samples are balls of
/// radius 0.4 around misclassified dev points.
/// </summary>
public static class TorusDemo
{
    private const double MajorRadius = 2, MinorRadius = 1, SeenArc = 2 * Math.PI / 3;

    public static AgoraOptions DefaultOptions(long seed) => new(
        Θ: [new HyperParameters(LearningRate: 1e-2, Steps: 400, BatchSize: 32, EvaluateEvery: 50),
            new HyperParameters(LearningRate: 3e-3, Steps: 400, BatchSize: 32, EvaluateEvery: 50),
            new HyperParameters(LearningRate: 3e-2, Steps: 400, BatchSize: 32, EvaluateEvery: 50)],
        RoundLimit: 5, PointsPerSeed: 8, MinimumConfidence: 0.6, Seed: seed);

    public static TorusDemoResult Run(string runFolder, AgoraOptions options, int trainSize = 60, IProgress<string>? progress = null,
        CancellationToken cancellation = default)
    {
        var random = new Random(unchecked((int)options.Seed));
        var train = Sample(random, trainSize, SeenArc);
        var dev = Sample(random, 150, 2 * Math.PI);
        var test = Sample(random, 2000, 2 * Math.PI);
        var labellerData = Sample(random, 2000, 2 * Math.PI);

        using var labeller = (MlpStudent)new MlpTrainer([3, 64, 64], 2, options.Seed).Train(labellerData, dev,
            new HyperParameters(LearningRate: 1e-2, Steps: 1500, BatchSize: 64, EvaluateEvery: 100), options.Seed, cancellation);
        progress?.Report(string.Create(CultureInfo.InvariantCulture, $"labeller (MLP 3-64-64-2 on 2,000 points of the whole torus): dev accuracy {labeller.DevScore:F3}"));

        var loop = new AgoraLoop<float[], int>(new MlpTrainer([3, 32, 32], 2, options.Seed), new BallSampler(0.4), labeller, new VectorFormat(), new ClassLabels(), options);
        var result = loop.Run(train, dev, test, runFolder, progress: progress, cancellation: cancellation);

        return new TorusDemoResult(result, train, labeller.DevScore, runFolder);
    }

    /// <summary>Points of the solid torus with φ in [0, arc); label 1 where sin 3φ > 0.</summary>
    public static LabelledPoint<float[], int>[] Sample(Random random, int count, double arc) =>
        Enumerable.Range(0, count).Select(_ =>
        {
            double φ = arc * random.NextDouble(), ψ = 2 * Math.PI * random.NextDouble();
            double ρ = MinorRadius * Math.Sqrt(random.NextDouble());
            float[] point = [(float)((MajorRadius + ρ * Math.Cos(ψ)) * Math.Cos(φ)), (float)((MajorRadius + ρ * Math.Cos(ψ)) * Math.Sin(φ)), (float)(ρ * Math.Sin(ψ))];
            return new LabelledPoint<float[], int>(point, Label(point));
        }).ToArray();

    public static int Label(float[] point) => Math.Sin(3 * Math.Atan2(point[1], point[0])) > 0 ? 1 : 0;
}
