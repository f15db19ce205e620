using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Ose.Pareto;

namespace Ose.Tests.Pareto;

public sealed class HypervolumeTests
{
    [Fact]
    public void Two_overlapping_boxes_count_their_union_once()
    {
        var points = new[] { new ObjectivePoint(0.5, 0.5, 0.5), new ObjectivePoint(0.25, 0.75, 0.25) };
        // 0.125 + 0.140625 − their common box 0.5 × 0.25 × 0.5.
        Assert.Equal(0.203125, Hypervolume.Of(points, new ObjectivePoint(1, 1, 1)), 12);
    }

    private static Arbitrary<ObjectivePoint[]> IntegerPoints =>
        Gen.ArrayOf(from p in Gen.Choose(0, 5) from i in Gen.Choose(0, 5) from e in Gen.Choose(0, 5) select new ObjectivePoint(p, i, e))
            .ToArbitrary();

    /// <summary>On integer points the volume is the number of unit cells some point is below, counted one by one.</summary>
    [Property(MaxTest = 200)]
    public Property The_volume_equals_the_count_of_dominated_unit_cells() =>
        Prop.ForAll(IntegerPoints, points =>
        {
            int cells = 0;
            for (int p = 0; p < 6; p++)
                for (int i = 0; i < 6; i++)
                    for (int e = 0; e < 6; e++)
                        if (points.Any(x => x.P <= p && x.I <= i && x.E <= e)) cells++;
            return Math.Abs(Hypervolume.Of(points, new ObjectivePoint(6, 6, 6)) - cells) < 1e-9;
        });

    [Fact]
    public void Over_the_evaluations_the_volume_never_falls_and_ends_at_the_volume_of_every_point()
    {
        var random = new Random(3);
        var points = Enumerable.Range(0, 300).Select(_ => new ObjectivePoint(1 + 99 * random.NextDouble(), 1 + 99 * random.NextDouble(),
            1 + 9 * random.NextDouble())).ToArray();
        var curve = Hypervolume.OverEvaluations(points, 100, 100, checkpoints: 50);

        Assert.Equal(300, curve[^1].Evaluations);
        Assert.All(curve.Zip(curve.Skip(1)), pair => Assert.True(pair.Second.Volume >= pair.First.Volume - 1e-9));
        // Dominated points add nothing: the whole set's volume is its front's.
        Assert.Equal(Hypervolume.Of(points, new ObjectivePoint(100, 100, 1.1 * points.Max(x => x.E))), curve[^1].Volume, 9);
    }
}
