using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Ose.Costs;
using Ose.Pareto;
using Ose.Search;

namespace Ose.Benchmarks;

/// <summary>
/// How fast is the search's bookkeeping? Score 10⁶ synthetic candidates (p, i and W) and build their ε-front.
/// Target (issue #2): under 1 s on one core. The code is single-threaded; the job pins it to one core anyway.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class SearchThroughputBenchmarks
{
    private const int Count = 1_000_000;
    private const int SequenceLength = 128;

    private readonly FixedShape shape = Source.Resolve("bert-large").Shape;
    private Architecture[] candidates = [];
    private double[] errors = [];
    private ObjectivePoint[] scored = [];
    private double pT, iT;

    [Params(0.1, 0.01)]
    public double Epsilon { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(2020);
        int[] heads = [1, 2, 4, 8, 12, 16, 32];
        candidates = new Architecture[Count];
        errors = new double[Count];
        for (int k = 0; k < Count; k++)
        {
            int a = heads[random.Next(heads.Length)];
            int h = a * random.Next(1, 4096 / a + 1);
            candidates[k] = new Architecture(random.Next(1, 49), a, h, random.Next(16, 16385));
            // Falls with capacity, with noise: the shape real errors have.
            errors[k] = (1.5 + 8.0 / Math.Log(candidates[k].D * (double)h * candidates[k].I)) * (1 + 0.1 * random.NextDouble());
        }
        var source = new Architecture(48, 32, 4096, 16384);
        pT = ParameterCount.Of(source, shape).Total;
        iT = OperationCount.Of(source, shape, SequenceLength).Total;
        scored = Score();
    }

    [Benchmark(Description = "score 10^6: p, i, W")]
    public ObjectivePoint[] Score()
    {
        var points = new ObjectivePoint[Count];
        double best = double.NegativeInfinity;
        for (int k = 0; k < Count; k++)
        {
            double p = ParameterCount.Of(candidates[k], shape).Total;
            double i = OperationCount.Of(candidates[k], shape, SequenceLength).Total;
            best = Math.Max(best, WCoefficient.Of(p, i, errors[k], pT, iT));
            points[k] = new ObjectivePoint(p, i, errors[k]);
        }
        return best > double.NegativeInfinity ? points : [];
    }

    [Benchmark(Description = "ε-front of 10^6")]
    public int Front() => EpsilonParetoFront.Build(scored, Epsilon).Count;

    [Benchmark(Baseline = true, Description = "score + ε-front of 10^6")]
    public int ScoreAndFront() => EpsilonParetoFront.Build(Score(), Epsilon).Count;
}
