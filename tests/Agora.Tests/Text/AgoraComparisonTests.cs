using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Ose.Agora.Text;
using Ose.Tasks;

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

    private static PooledCell Cell(string task, int size, long seed, double plain, double agora, double random) =>
        new(task, new(size, seed, 100, plain, plain, agora, agora, random, random, 2, 10, 8, 8), new SeedAgreement(6, 8), new SeedAgreement(8, 8));

    [Fact]
    public void Pooling_shows_each_task_its_own_difference_and_the_pool_their_average()
    {
        // SENT: Agora 10 points above plain; GENRE: 10 points below (with a little spread, so each interval exists).
        var cells = Enumerable.Range(0, 6).SelectMany(seed => new[]
        {
            Cell("SENT", 64, seed, 0.5, 0.6 + 0.001 * seed, 0.5),
            Cell("GENRE", 64, seed, 0.5, 0.4 - 0.001 * seed, 0.5),
        }).ToArray();
        var rows = AgoraComparison.PooledMarkdown(AgoraComparison.Pool(cells)).Split('\n').Where(l => l.StartsWith("| ", StringComparison.Ordinal)).ToArray();
        Assert.StartsWith("| SENT | 64 | 6 | +10.3 [+", Assert.Single(rows, r => r.StartsWith("| SENT", StringComparison.Ordinal)));
        Assert.StartsWith("| GENRE | 64 | 6 | −10.3 [−", Assert.Single(rows, r => r.StartsWith("| GENRE", StringComparison.Ordinal)));
        var pooled = Assert.Single(rows, r => r.StartsWith("| **pooled**", StringComparison.Ordinal));
        Assert.StartsWith("| **pooled** | 64 | 12 | 0.0 [−", pooled);
        Assert.EndsWith("| 80% | 75.0%, 100.0% |", pooled);
    }

    [Fact]
    public void A_cell_given_twice_is_refused()
    {
        var cell = Cell("SENT", 64, 3, 0.5, 0.6, 0.5);
        var error = Assert.Throws<UserInputException>(() => AgoraComparison.Pool([cell, cell, Cell("SENT", 64, 4, 0.5, 0.6, 0.5)]));
        Assert.Contains("seed 3 is given twice", error.Message);
    }

    [Fact]
    public void Seed_agreement_counts_the_kept_points_labelled_as_the_point_they_were_drawn_around()
    {
        using var folder = new TemporaryFolder();
        string taskFolder = folder.Sub("TOY");
        Directory.CreateDirectory(taskFolder);
        string Rows(int n) => "sentence\tlabel\n" + string.Concat(Enumerable.Range(0, n).Select(i => $"s{i}\t{(i % 3 == 0 ? "pos" : "neg")}\n"));
        File.WriteAllText(Path.Combine(taskFolder, "train.tsv"), Rows(12));
        File.WriteAllText(Path.Combine(taskFolder, "dev.tsv"), Rows(10));
        File.WriteAllText(Path.Combine(taskFolder, "test.tsv"), Rows(4));
        var task = TextTask.Load(taskFolder);
        var cell = new ComparisonCell(6, 2, 100, 0, 0, 0, 0, 0, 0, 2, 10, 10, 6);
        var (agoraDev, _) = AgoraComparison.HalveDev(task.Dev);
        var train = AgoraComparison.Subset(task.Train, cell.TrainSize, cell.Seed);
        // Around every dev seed one point with its seed's label and one with the other; around every training seed, its seed's label.
        void Write(string arm, IEnumerable<(int Seed, int Label)> rows)
        {
            string path = Directory.CreateDirectory(Path.Combine(folder.Sub("cell"), arm)).FullName;
            File.WriteAllText(Path.Combine(path, "generated.tsv"),
                "round\tseed_point\tlabel\tconfidence\tpoint\n" + string.Concat(rows.Select(r => $"0\t{r.Seed}\t{r.Label}\t0.9\tnew words\n")));
        }
        Write(AgoraComparison.AgoraArm, Enumerable.Range(0, agoraDev.Length).SelectMany(k => new[] { (k, agoraDev[k].Label), (k, 1 - agoraDev[k].Label) }));
        Write(AgoraComparison.RandomSeedsArm, Enumerable.Range(0, train.Length).Select(k => (k, train[k].Label)));

        var (agora, random) = AgoraComparison.SeedAgreements(task, folder.Sub("cell"), cell);

        Assert.Equal(new SeedAgreement(agoraDev.Length, 2 * agoraDev.Length), agora);
        Assert.Equal(new SeedAgreement(train.Length, train.Length), random);
        Write(AgoraComparison.AgoraArm, [(agoraDev.Length, 0)]);
        Assert.Throws<UserInputException>(() => AgoraComparison.SeedAgreements(task, folder.Sub("cell"), cell));
    }
}
