using System.Globalization;
using Ose.Models.FineTuning;
using Ose.Reporting;
using ScottPlot;

namespace Ose.Agora.Vectors;

/// <summary>What the torus demo measured.</summary>
public sealed record TorusDemoResult(AgoraResult<float[]> Agora, double LabellerDevAccuracy, string RunFolder);

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
        Θ: [new FineTuningOptions(LearningRate: 1e-2, Steps: 400, BatchSize: 32, EvaluateEvery: 50),
            new FineTuningOptions(LearningRate: 3e-3, Steps: 400, BatchSize: 32, EvaluateEvery: 50),
            new FineTuningOptions(LearningRate: 3e-2, Steps: 400, BatchSize: 32, EvaluateEvery: 50)],
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
            new FineTuningOptions(LearningRate: 1e-2, Steps: 1500, BatchSize: 64, EvaluateEvery: 100), options.Seed, cancellation);
        progress?.Report(string.Create(CultureInfo.InvariantCulture, $"labeller (MLP 3-64-64-2 on 2,000 points of the whole torus): dev accuracy {labeller.DevScore:F3}"));

        var loop = new AgoraLoop<float[]>(new MlpTrainer([3, 32, 32], 2, options.Seed), new BallSampler(0.4), labeller, new VectorFormat(), options);
        var result = loop.Run(train, dev, test, runFolder, progress: progress, cancellation: cancellation);

        AgoraReport.WritePlot(Path.Combine(runFolder, "rounds.png"), result.Rounds, "accuracy");
        foreach (var round in result.Rounds)
            WritePoints(Path.Combine(runFolder, $"round-{round.Round}.png"), round,
                train.Concat(result.Generated.Where(p => p.Origin!.Round < round.Round)).ToArray());
        return new TorusDemoResult(result, labeller.DevScore, runFolder);
    }

    /// <summary>Points of the solid torus with φ in [0, arc); label 1 where sin 3φ > 0.</summary>
    public static LabelledPoint<float[]>[] Sample(Random random, int count, double arc) =>
        Enumerable.Range(0, count).Select(_ =>
        {
            double φ = arc * random.NextDouble(), ψ = 2 * Math.PI * random.NextDouble();
            double ρ = MinorRadius * Math.Sqrt(random.NextDouble());
            float[] point = [(float)((MajorRadius + ρ * Math.Cos(ψ)) * Math.Cos(φ)), (float)((MajorRadius + ρ * Math.Cos(ψ)) * Math.Sin(φ)), (float)(ρ * Math.Sin(ψ))];
            return new LabelledPoint<float[]>(point, Label(point));
        }).ToArray();

    public static int Label(float[] point) => Math.Sin(3 * Math.Atan2(point[1], point[0])) > 0 ? 1 : 0;

    /// <summary>The training set a round's students saw, from above: the task's points as dots, generated ones as crosses.</summary>
    private static void WritePoints(string pngPath, AgoraRound round, IReadOnlyList<LabelledPoint<float[]>> train)
    {
        var plot = new Plot();
        Color[] colours = [Colors.SteelBlue, Colors.DarkOrange];
        foreach (bool generated in new[] { false, true })
            for (int label = 0; label < 2; label++)
            {
                var points = train.Where(p => p.Label == label && (p.Origin is not null) == generated).ToArray();
                if (points.Length == 0) continue;
                var markers = plot.Add.Markers(points.Select(p => (double)p.Point[0]).ToArray(), points.Select(p => (double)p.Point[1]).ToArray(),
                    generated ? MarkerShape.Cross : MarkerShape.FilledCircle, generated ? 6 : 7, colours[label]);
                markers.LegendText = $"class {label}, {(generated ? "generated" : "task")} ({points.Length})";
            }
        plot.Axes.SetLimits(-3.2, 3.2, -3.2, 3.2);
        plot.Axes.SquareUnits();
        plot.Title(string.Create(CultureInfo.InvariantCulture, $"round {round.Round}: {round.TrainSize} training points, dev accuracy {round.DevScore:F3}"));
        plot.ShowLegend(Alignment.UpperRight);
        AtomicFile.Write(pngPath, temporary => plot.SavePng(temporary, 600, 600));
    }
}
