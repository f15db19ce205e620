using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Ose.Agora.Text;

namespace Ose.Agora.Tests.Text;

public sealed class AgoraComparisonTests
{
    [Property(MaxTest = 100)]
    public Property Halving_dev_splits_it_into_two_disjoint_halves_that_cover_it_the_same_way_every_time(PositiveInt size)
    {
        var dev = Enumerable.Range(0, 4 + size.Get % 500).ToArray();
        var (agora, selection) = AgoraComparison.HalveDev(dev);
        var (again, _) = AgoraComparison.HalveDev(dev);
        return (!agora.Intersect(selection).Any()).Label("disjoint")
            .And(agora.Concat(selection).Order().SequenceEqual(dev)).Label("covers dev")
            .And(Math.Abs(agora.Length - selection.Length) <= 1).Label("halves")
            .And(agora.SequenceEqual(again)).Label("fixed");
    }

    private static ComparisonCell Cell(int size, long seed, double plain, double agora, double random) =>
        new(size, seed, 100, plain, plain, agora, agora, random, random, 2, 10, 8, 8);

    [Fact]
    public void Pooling_shows_each_task_its_own_difference_and_the_pool_their_average()
    {
        // SENT: Agora 10 points above plain; GENRE: 10 points below (with a little spread, so each interval exists).
        var cells = Enumerable.Range(0, 6).SelectMany(seed => new[]
        {
            ("SENT", Cell(64, seed, 0.5, 0.6 + 0.001 * seed, 0.5)),
            ("GENRE", Cell(64, seed, 0.5, 0.4 - 0.001 * seed, 0.5)),
        }).ToArray();
        var rows = AgoraComparison.PooledMarkdown(AgoraComparison.Pool(cells)).Split('\n').Where(l => l.StartsWith("| ", StringComparison.Ordinal)).ToArray();
        Assert.StartsWith("| SENT | 64 | 6 | +10.3 [+", Assert.Single(rows, r => r.StartsWith("| SENT", StringComparison.Ordinal)));
        Assert.StartsWith("| GENRE | 64 | 6 | −10.3 [−", Assert.Single(rows, r => r.StartsWith("| GENRE", StringComparison.Ordinal)));
        var pooled = Assert.Single(rows, r => r.StartsWith("| **pooled**", StringComparison.Ordinal));
        Assert.StartsWith("| **pooled** | 64 | 12 | 0.0 [−", pooled);
    }

    [Fact]
    public void A_cell_given_twice_is_refused()
    {
        var cell = Cell(64, 3, 0.5, 0.6, 0.5);
        var error = Assert.Throws<UserInputException>(() => AgoraComparison.Pool([("SENT", cell), ("SENT", cell), ("SENT", Cell(64, 4, 0.5, 0.6, 0.5))]));
        Assert.Contains("seed 3 is given twice", error.Message);
    }
}
