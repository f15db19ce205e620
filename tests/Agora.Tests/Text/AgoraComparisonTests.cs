using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using System.Text.Json;
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

    private static PooledCell Cell(string task, int size, long seed, double plain, double agora, double random, double firstRound = 0.5) =>
        new(task, new(size, seed, 100, plain, plain, agora, agora, random, random, 2, 10, 8, 8), new SeedAgreement(6, 8), new SeedAgreement(8, 8), firstRound);

    [Fact]
    public void Pooling_shows_each_task_its_own_difference_and_the_pool_their_average()
    {
        // SENT: Agora 10 points above plain; GENRE: 10 points below (with a little spread, so each interval exists).
        // Agora's first round 5 points below plain on both.
        var cells = Enumerable.Range(0, 6).SelectMany(seed => new[]
        {
            Cell("SENT", 64, seed, 0.5, 0.6 + 0.001 * seed, 0.5, 0.45 - 0.001 * seed),
            Cell("GENRE", 64, seed, 0.5, 0.4 - 0.001 * seed, 0.5, 0.45 - 0.001 * seed),
        }).ToArray();
        var rows = AgoraComparison.PooledMarkdown(AgoraComparison.Pool(cells)).Split('\n').Where(l => l.StartsWith("| ", StringComparison.Ordinal)).ToArray();
        Assert.StartsWith("| SENT | 64 | 6 | +10.3 [+", Assert.Single(rows, r => r.StartsWith("| SENT", StringComparison.Ordinal)));
        Assert.StartsWith("| GENRE | 64 | 6 | −10.3 [−", Assert.Single(rows, r => r.StartsWith("| GENRE", StringComparison.Ordinal)));
        var pooled = Assert.Single(rows, r => r.StartsWith("| **pooled**", StringComparison.Ordinal));
        Assert.StartsWith("| **pooled** | 64 | 12 | 0.0 [−", pooled);
        Assert.Matches(@"\| −5\.3 \[−[\d.]+, −[\d.]+\] \| 80% \| 75\.0%, 100\.0% \|$", pooled);
    }

    [Fact]
    public void A_cell_given_twice_is_refused()
    {
        var cell = Cell("SENT", 64, 3, 0.5, 0.6, 0.5);
        var error = Assert.Throws<UserInputException>(() => AgoraComparison.Pool([cell, cell, Cell("SENT", 64, 4, 0.5, 0.6, 0.5)]));
        Assert.Contains("seed 3 is given twice", error.Message);
    }

    /// <summary>A task folder of 12 / 10 / 4 train / dev / test rows under the header.</summary>
    private static string WriteTask(TemporaryFolder folder, string name, string header, Func<int, string> row)
    {
        string taskFolder = Directory.CreateDirectory(folder.Sub(name)).FullName;
        foreach (var (split, count) in new[] { ("train", 12), ("dev", 10), ("test", 4) })
            File.WriteAllText(Path.Combine(taskFolder, $"{split}.tsv"),
                header + "\n" + string.Concat(Enumerable.Range(0, count).Select(i => row(i) + "\n")));
        return taskFolder;
    }

    private static readonly ComparisonCell SeededCell = new(6, 2, 100, 0, 0, 0, 0, 0, 0, 2, 10, 10, 6);

    /// <summary>The points <see cref="SeededCell"/>'s arms draw around: Agora's half of dev, and the scarce training split.</summary>
    private static (LabelledPoint<TextInput, TLabel>[] AgoraDev, LabelledPoint<TextInput, TLabel>[] Train) SeedPoints<TLabel>(AgoraTask<TLabel> task) =>
        (AgoraComparison.HalveDev(task.Dev).AgoraDev, AgoraComparison.Subset(task.Train, SeededCell.TrainSize, SeededCell.Seed));

    /// <summary>A cell's generated.tsv for one arm: kept points around the given seed points, with the given labels.</summary>
    private static void WriteGenerated(string cellFolder, string arm, IEnumerable<(int Seed, string Label)> rows)
    {
        string path = Directory.CreateDirectory(Path.Combine(cellFolder, arm)).FullName;
        File.WriteAllText(Path.Combine(path, "generated.tsv"),
            "round\tseed_point\tlabel\tconfidence\tpoint\n" + string.Concat(rows.Select(r => $"0\t{r.Seed}\t{r.Label}\t0.9\tnew words\n")));
    }

    [Fact]
    public void Seed_agreement_counts_the_kept_points_labelled_as_the_point_they_were_drawn_around()
    {
        using var folder = new TemporaryFolder();
        var task = AgoraTask.Of(TextTask.Load(WriteTask(folder, "TOY", "sentence\tlabel", i => $"s{i}\t{(i % 3 == 0 ? "pos" : "neg")}")));
        var (agoraDev, train) = SeedPoints(task);
        // Around every dev seed one point with its seed's label and one with the other; around every training seed, its seed's label.
        WriteGenerated(folder.Sub("cell"), AgoraComparison.AgoraArm,
            Enumerable.Range(0, agoraDev.Length).SelectMany(k => new[] { (k, $"{agoraDev[k].Label}"), (k, $"{1 - agoraDev[k].Label}") }));
        WriteGenerated(folder.Sub("cell"), AgoraComparison.RandomSeedsArm, Enumerable.Range(0, train.Length).Select(k => (k, $"{train[k].Label}")));

        var (agora, random) = AgoraComparison.SeedAgreements(task, folder.Sub("cell"), SeededCell);

        Assert.Equal(new SeedAgreement(agoraDev.Length, 2 * agoraDev.Length), agora);
        Assert.Equal(new SeedAgreement(train.Length, train.Length), random);
        WriteGenerated(folder.Sub("cell"), AgoraComparison.AgoraArm, [(agoraDev.Length, "0")]);
        Assert.Throws<UserInputException>(() => AgoraComparison.SeedAgreements(task, folder.Sub("cell"), SeededCell));
    }

    [Fact]
    public void On_a_slot_task_a_kept_point_agrees_with_its_seed_when_its_spans_are_the_seeds_gold_spans()
    {
        using var folder = new TemporaryFolder();
        // The city's position differs from utterance to utterance, so no two utterances share their spans.
        string taskFolder = WriteTask(folder, "TRAVEL", "utterance\tlabel",
            i => string.Join(' ', Enumerable.Repeat("go", i)) + $" to [1 city{i} ]" + (i % 2 == 1 ? " by [2 bus ]\tride" : "\tplace"));
        File.WriteAllLines(Path.Combine(taskFolder, SlotTask.SlotsFile), ["City", "Vehicle"]);
        var task = AgoraTask.Of(SlotTask.Load(taskFolder));
        var (agoraDev, train) = SeedPoints(task);
        // The seed's spans over words redrawn outside them (as the sampler draws) agree; the seed's words with its
        // slots swapped, or with its spans dropped, do not.
        SlotAnnotation Redrawn(SlotAnnotation seed) =>
            new(seed.Words.Select((word, w) => seed.Spans.Any(s => s.Start <= w && w < s.End) ? word : "other"), seed.Spans);
        SlotAnnotation Swapped(SlotAnnotation seed) =>
            new(seed.Words, seed.Spans.Select(s => s with { Slot = s.Slot == "City" ? "Vehicle" : "City" }));
        WriteGenerated(folder.Sub("cell"), AgoraComparison.AgoraArm, Enumerable.Range(0, agoraDev.Length).SelectMany(k => new[]
            { (k, task.Labels.Write(Redrawn(agoraDev[k].Label))), (k, task.Labels.Write(Swapped(agoraDev[k].Label))) }));
        WriteGenerated(folder.Sub("cell"), AgoraComparison.RandomSeedsArm, Enumerable.Range(0, train.Length)
            .Select(k => (k, task.Labels.Write(Redrawn(train[k].Label)))).Append((0, string.Join(' ', train[0].Label.Words))));

        var (agora, random) = AgoraComparison.SeedAgreements(task, folder.Sub("cell"), SeededCell);

        Assert.Equal(new SeedAgreement(agoraDev.Length, 2 * agoraDev.Length), agora);
        Assert.Equal(new SeedAgreement(train.Length, train.Length + 1), random);
    }

    [Fact]
    public void A_pooled_cell_takes_the_test_score_of_agoras_first_round_from_its_run_folder()
    {
        using var folder = new TemporaryFolder();
        var task = AgoraTask.Of(TextTask.Load(WriteTask(folder, "TOY", "sentence\tlabel", i => $"s{i}\t{(i % 3 == 0 ? "pos" : "neg")}")));
        string cell = folder.Sub("cell");
        WriteGenerated(cell, AgoraComparison.AgoraArm, []);
        WriteGenerated(cell, AgoraComparison.RandomSeedsArm, []);
        Assert.Contains("no finished round", Assert.Throws<UserInputException>(() => AgoraComparison.Pooled(task, cell, SeededCell)).Message);

        AgoraRound Round(int round, double test) => new(round, [0, 1], 0, 0.8, test, 0.7, 2, 8, 4, 6, 100, [1]);
        File.WriteAllText(Path.Combine(cell, AgoraComparison.AgoraArm, "state.json"), JsonSerializer.Serialize(new[] { Round(0, 0.625), Round(1, 0.75) }));

        var pooled = AgoraComparison.Pooled(task, cell, SeededCell);

        Assert.Equal(0.625, pooled.AgoraFirstRoundTest);
        Assert.Equal(("TOY", SeededCell), (pooled.Task, pooled.Cell));
    }
}
