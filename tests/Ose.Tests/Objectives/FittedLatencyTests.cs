using Ose.Costs;
using Ose.Objectives;
using Ose.Spaces;

namespace Ose.Tests.Objectives;

public sealed class FittedLatencyTests
{
    private static readonly IReadOnlyList<Architecture> Bort = SearchSpace.Resolve(null).Candidates;

    [Fact]
    public void Measures_only_the_sample_and_keeps_each_measurement_exactly()
    {
        var measured = new List<Architecture>();
        double Measure(Architecture ξ)
        {
            measured.Add(ξ);
            return OperationCount.Of(ξ, new FixedShape(30522, 512, 2, true), 128).Total * 1e-11;
        }

        var latency = new FittedLatency(Bort, Measure, 128, "test", fitted: 10, heldOut: 4);

        Assert.Equal(14, measured.Count);
        Assert.Equal(measured.Count, measured.Distinct().Count());
        foreach (var (ξ, seconds) in latency.Measurements)
            Assert.Equal(seconds, latency.Evaluate(ξ));
    }

    [Fact]
    public void Reports_a_small_held_out_error_when_latency_follows_the_operation_count()
    {
        var shape = new FixedShape(30522, 512, 2, true);
        var latency = new FittedLatency(Bort, ξ => 1e-3 + OperationCount.Of(ξ, shape, 128).Total * 1e-11, 128, "test");

        Assert.InRange(latency.HeldOutError, 0, 0.05);
        Assert.All(Bort, ξ => Assert.True(latency.Evaluate(ξ) > 0));
    }

    [Fact]
    public void The_sample_spans_the_cheapest_and_the_most_expensive_candidate()
    {
        var latency = new FittedLatency(Bort, ξ => LatencyModel.Terms(ξ, 128).Sum() * 1e-12, 128, "test");
        var byCost = Bort.OrderBy(ξ => LatencyModel.Terms(ξ, 128).Sum()).ToArray();

        Assert.Contains(latency.Measurements, m => m.Architecture == byCost[0]);
        Assert.Contains(latency.Measurements, m => m.Architecture == byCost[^1]);
    }
}
