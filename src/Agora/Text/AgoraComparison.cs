using System.Globalization;
using System.Text.Json;
using System.Text;
using Ose.IO;

namespace Ose.Agora.Text;

/// <summary>
/// One (training size, seed) cell of the comparison: the scores of plain fine-tuning, of Agora and of the random-seed
/// ablation at equal compute, each on the selection split (which chose its model) and on test.
/// </summary>
public sealed record ComparisonCell(int TrainSize, long Seed, int Steps, double PlainSelection, double PlainTest, double AgoraSelection,
    double AgoraTest, double RandomSelection, double RandomTest, int AgoraRounds, int AgoraGenerated, int AgoraKept, int RandomKept);

/// <summary>
/// Plain fine-tuning against Agora on a scarce training split, and against Agora's ablation that generates as many
/// points around random training points instead of dev mistakes: the same student, the same Θ, the same compute, the
/// same split and seed (paired). Agora runs first; the ablation then runs the same loop, and plain fine-tuning gets
/// the optimizer steps Agora spent in all, shared among Θ in proportion to each θ's steps.
///
/// The task's dev split is halved by a fixed shuffle: Agora finds its mistakes on the first half (and every arm keeps
/// its best step there); the second half, which no arm trains on or generates around, chooses each arm's model (the
/// round, or plain's θ). Agora's neighbours of dev points make its dev score flatter it; choosing on a split it never
/// sees keeps the three arms comparable. Every finished cell is written to the output folder, so a killed comparison
/// continues where it stopped.
/// </summary>
public sealed class AgoraComparison<TLabel>(AgoraTask<TLabel> task, IStudentTrainer<TextInput, TLabel> students,
    ILabeller<TextInput, TLabel> labeller, INeighbourSampler<TextInput> sampler, AgoraOptions options)
{
    public IReadOnlyList<ComparisonCell> Run(IReadOnlyList<int> trainSizes, int seeds, string outFolder, IProgress<string>? progress = null,
        CancellationToken cancellation = default)
    {
        if (task.Test.Length == 0) throw new UserInputException($"task {task.Name} has no test split to compare on");
        if (task.Dev.Length < 4) throw new UserInputException($"task {task.Name} has {task.Dev.Length} dev examples: the comparison halves dev and needs at least 4");
        var cells = new List<ComparisonCell>();
        foreach (int size in trainSizes)
            for (long seed = 0; seed < seeds; seed++)
            {
                string folder = Path.Combine(outFolder, $"n{size}-seed{seed}");
                string cellFile = Path.Combine(folder, "cell.json");
                if (File.Exists(cellFile))
                {
                    cells.Add(StrictJson.Deserialize<ComparisonCell>(File.ReadAllText(cellFile), AgoraComparison.CellJson, cellFile));
                    continue;
                }
                var cell = RunCell(size, seed, folder, progress, cancellation);
                CrashSafe.WriteText(cellFile, JsonSerializer.Serialize(cell));
                cells.Add(cell);
                progress?.Report(string.Create(CultureInfo.InvariantCulture,
                    $"n={size} seed={seed}: plain {cell.PlainTest:F4}, Agora {cell.AgoraTest:F4}, random seeds {cell.RandomTest:F4} at {cell.Steps} steps each"));
            }
        CrashSafe.WriteText(Path.Combine(outFolder, "comparison.csv"), AgoraComparison.Csv(cells));
        CrashSafe.WriteText(Path.Combine(outFolder, "comparison.md"), AgoraComparison.Markdown(cells, task.Metric, task.Test.Length));
        return cells;
    }

    private ComparisonCell RunCell(int size, long seed, string folder, IProgress<string>? progress, CancellationToken cancellation)
    {
        var train = AgoraComparison.Subset(task.Train, size, seed);
        var (dev, selection) = AgoraComparison.HalveDev(task.Dev);
        AgoraResult<TextInput, TLabel> Loop(SeedChoice seeds, string name) =>
            new AgoraLoop<TextInput, TLabel>(students, sampler, labeller, new TextFormat(), task.Labels, options with { Seed = seed, Seeds = seeds })
                .Run(train, dev, task.Test, Path.Combine(folder, name), progress: progress, cancellation: cancellation, selection: selection);
        var agora = Loop(SeedChoice.Mistakes, AgoraComparison.AgoraArm);
        var random = Loop(SeedChoice.RandomTraining, AgoraComparison.RandomSeedsArm);
        int budget = agora.TotalSteps;

        double share = (double)budget / options.Θ.Sum(θ => θ.Steps);
        double plainSelection = double.NegativeInfinity, plainTest = 0;
        for (int j = 0; j < options.Θ.Count; j++)
        {
            var θ = options.Θ[j] with { Steps = Math.Max(1, (int)Math.Round(options.Θ[j].Steps * share)) };
            using var student = students.Train(train, dev, θ, seed * 31 + j, cancellation);
            double chosenOn = Score(student, selection);
            if (chosenOn <= plainSelection) continue;
            plainSelection = chosenOn;
            plainTest = Score(student, task.Test);
        }
        var (best, randomBest) = (agora.Best, random.Best);
        return new ComparisonCell(size, seed, budget, plainSelection, plainTest, best.SelectionScore!.Value, best.TestScore!.Value,
            randomBest.SelectionScore!.Value, randomBest.TestScore!.Value, agora.Rounds.Count, agora.Rounds.Sum(r => r.Generated),
            agora.Generated.Count, random.Generated.Count);
    }

    private double Score(IStudent student, IReadOnlyList<LabelledPoint<TextInput, TLabel>> split) =>
        students.Score(students.Predict(student, split.Select(p => p.Point).ToArray()), split.Select(p => p.Label).ToArray());
}

/// <summary>The label-free parts of <see cref="AgoraComparison{TLabel}"/>: its splits, its cells on disk, its reports, and pooling.</summary>
public static class AgoraComparison
{
    internal static readonly JsonSerializerOptions CellJson = new();

    /// <summary>The run folders of a cell's two Agora loops.</summary>
    public const string AgoraArm = "agora", RandomSeedsArm = "random-seeds";

    /// <summary>The dev split in two halves by a fixed shuffle: where Agora looks for mistakes, and where every arm's model is chosen.</summary>
    public static (T[] AgoraDev, T[] Selection) HalveDev<T>(IReadOnlyList<T> dev)
    {
        var order = dev.ToArray();
        new Random(20_201).Shuffle(order);
        return (order[..(order.Length / 2)], order[(order.Length / 2)..]);
    }

    /// <summary>A scarce training split: the first n of a seeded shuffle of the task's training examples.</summary>
    public static T[] Subset<T>(IReadOnlyList<T> train, int size, long seed)
    {
        if (size < 2 || size > train.Count) throw new UserInputException($"training size {size} must lie in [2, {train.Count}]");
        var order = train.ToArray();
        new Random(unchecked((int)(seed * 7919 + size))).Shuffle(order);
        return order[..size];
    }

    internal static string Csv(IEnumerable<ComparisonCell> cells)
    {
        var csv = new StringBuilder("train_size,seed,steps,plain_selection,plain_test,agora_selection,agora_test,random_selection,random_test,agora_rounds,agora_generated,agora_kept,random_kept\n");
        foreach (var c in cells)
            csv.Append(CultureInfo.InvariantCulture,
                $"{c.TrainSize},{c.Seed},{c.Steps},{c.PlainSelection:R},{c.PlainTest:R},{c.AgoraSelection:R},{c.AgoraTest:R},{c.RandomSelection:R},{c.RandomTest:R},{c.AgoraRounds},{c.AgoraGenerated},{c.AgoraKept},{c.RandomKept}\n");
        return csv.ToString();
    }

    /// <summary>Per training size: each arm's mean ± sd, and the paired differences with their 95% intervals (<see cref="PairedDifference"/>).</summary>
    public static string Markdown(IReadOnlyList<ComparisonCell> cells, string metric, int testExamples)
    {
        var md = new StringBuilder(string.Create(CultureInfo.InvariantCulture,
            $"Test {metric} ×100 on {testExamples} examples; mean ± sd over seeds; differences paired by split and seed, with 95% intervals.\n\n"));
        md.Append("| train size | seeds | plain | Agora | random seeds | Agora − plain | Agora − random seeds | steps each (mean) | generated kept (Agora) |\n|---|---|---|---|---|---|---|---|---|\n");
        foreach (var group in cells.GroupBy(c => c.TrainSize))
        {
            var g = group.ToArray();
            string Difference(Func<ComparisonCell, double> a, Func<ComparisonCell, double> b) =>
                PairedDifference.OfAtLeastTwo(g.Select(c => a(c) - b(c)).ToArray())?.ToString() ?? "-";
            md.Append(CultureInfo.InvariantCulture,
                $"| {group.Key} | {g.Length} | {MeanSd(g.Select(c => c.PlainTest))} | {MeanSd(g.Select(c => c.AgoraTest))} | {MeanSd(g.Select(c => c.RandomTest))} | {Difference(c => c.AgoraTest, c => c.PlainTest)} | {Difference(c => c.AgoraTest, c => c.RandomTest)} | {g.Average(c => c.Steps):F0} | {g.Sum(c => c.AgoraKept)} of {g.Sum(c => c.AgoraGenerated)} |\n");
        }
        return md.ToString();
    }

    /// <summary>The finished cells of a comparison's output folder (one <c>cell.json</c> per training size and seed), with their folders.</summary>
    public static IReadOnlyList<(string Folder, ComparisonCell Cell)> ReadCells(string folder) =>
        [.. Directory.EnumerateDirectories(folder, "n*-seed*").Where(cell => File.Exists(Path.Combine(cell, "cell.json"))).Order(StringComparer.Ordinal)
            .Select(cell => (cell, StrictJson.Deserialize<ComparisonCell>(File.ReadAllText(Path.Combine(cell, "cell.json")), CellJson, cell)))];

    /// <summary>
    /// How often the labeller gave a kept neighbour the gold label of the point it was drawn around, in a finished cell:
    /// for Agora (seeds: the dev mistakes, in the half of dev it mines) and for the ablation (seeds: the scarce training
    /// split). A neighbour with a share of its words redrawn mostly keeps its seed's label, so this estimates how often
    /// the labels Agora adds are right, where it adds them. On a slot task a neighbour agrees when its spans are its
    /// seed's: the sampler redraws words one for one outside the seed's spans (<see cref="SlotWordView"/>), so the span
    /// words keep their positions and the two annotations can be compared word by word.
    /// </summary>
    public static (SeedAgreement Agora, SeedAgreement Random) SeedAgreements<TLabel>(AgoraTask<TLabel> task, string cellFolder, ComparisonCell cell)
    {
        var (agoraDev, _) = HalveDev(task.Dev);
        var train = Subset(task.Train, cell.TrainSize, cell.Seed);
        SeedAgreement Of(string arm, LabelledPoint<TextInput, TLabel>[] seeds)
        {
            var kept = AgoraLoop<TextInput, TLabel>.ReadGenerated(Path.Combine(cellFolder, arm), new TextFormat(), task.Labels);
            if (kept.Any(p => p.Origin!.SeedPoint >= seeds.Length))
                throw new UserInputException($"{cellFolder}/{arm} was not generated on {task.Name}'s splits: a seed point lies outside them");
            return new SeedAgreement(kept.Count(p => task.Labels.Same(p.Label, seeds[p.Origin!.SeedPoint].Label)), kept.Count);
        }
        return (Of(AgoraArm, agoraDev), Of(RandomSeedsArm, train));
    }

    /// <summary>A finished cell as <see cref="Pool"/> takes it: its scores, its <see cref="SeedAgreements"/>, and the test score of
    /// Agora's first round (the plain training split at Agora's steps per θ, before any generated point).</summary>
    public static PooledCell Pooled<TLabel>(AgoraTask<TLabel> task, string cellFolder, ComparisonCell cell)
    {
        var (agora, random) = SeedAgreements(task, cellFolder, cell);
        string arm = Path.Combine(cellFolder, AgoraArm);
        double firstRound = AgoraLoop<TextInput, TLabel>.ReadRounds(arm).FirstOrDefault()?.TestScore
            ?? throw new UserInputException($"{arm} has no finished round with a test score");
        return new PooledCell(task.Name, cell, agora, random, firstRound);
    }

    /// <summary>
    /// The paired differences of several comparisons (tasks, training sizes) taken together: per task over its sizes,
    /// per size over the tasks, and over every cell (last). Each cell is one pair; cells of different tasks are
    /// independent trainings, so the t interval over all of them is the pooled one. A (task, size, seed) given twice is
    /// refused.
    /// </summary>
    public static IReadOnlyList<PooledGroup> Pool(IReadOnlyList<PooledCell> cells)
    {
        var twice = cells.GroupBy(c => (c.Task, c.Cell.TrainSize, c.Cell.Seed)).FirstOrDefault(g => g.Count() > 1);
        if (twice is not null)
            throw new UserInputException($"task {twice.Key.Task}, training size {twice.Key.TrainSize}, seed {twice.Key.Seed} is given twice: pool each cell once");
        return
        [
            .. cells.GroupBy(c => c.Task).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => new PooledGroup(g.Key, [.. g])),
            .. cells.GroupBy(c => c.Cell.TrainSize).OrderBy(g => g.Key).Select(g => new PooledGroup($"all, n = {g.Key}", [.. g])),
            new PooledGroup(PooledGroup.Everything, [.. cells]),
        ];
    }

    public static string PooledMarkdown(IReadOnlyList<PooledGroup> groups)
    {
        var md = new StringBuilder("Test score ×100; each (task, training size, seed) is one pair; mean paired difference with its 95% interval. " +
            "Agora round 0: Agora's first round, plain's training split at Agora's steps per θ, before any generated point.\n\n");
        md.Append("| cells | train sizes | pairs | Agora − plain | Agora − random seeds | Agora round 0 − plain | generated kept (Agora) | kept labels = seed's gold: Agora, random seeds |\n|---|---|---|---|---|---|---|---|\n");
        foreach (var group in groups)
        {
            string name = group.Name == PooledGroup.Everything ? $"**{group.Name}**" : group.Name;
            string sizes = string.Join(", ", group.Cells.Select(c => c.Cell.TrainSize).Distinct().Order());
            md.Append(CultureInfo.InvariantCulture,
                $"| {name} | {sizes} | {group.Cells.Length} | {group.AgoraMinusPlain?.ToString() ?? "-"} | {group.AgoraMinusRandom?.ToString() ?? "-"} | {group.FirstRoundMinusPlain?.ToString() ?? "-"} | {100 * group.KeptShare:F0}% | {group.AgoraLabels}, {group.RandomLabels} |\n");
        }
        return md.ToString();
    }

    /// <summary>Mean ± sample standard deviation, in points (×100).</summary>
    private static string MeanSd(IEnumerable<double> scores)
    {
        var values = scores.ToArray();
        double mean = values.Average();
        double sd = values.Length < 2 ? 0 : Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1));
        return string.Create(CultureInfo.InvariantCulture, $"{100 * mean:F1} ± {100 * sd:F1}");
    }
}

/// <summary>Kept generated points whose label is the gold label of the point they were drawn around, of all kept points.</summary>
public sealed record SeedAgreement(int Agreeing, int Kept)
{
    public static SeedAgreement operator +(SeedAgreement a, SeedAgreement b) => new(a.Agreeing + b.Agreeing, a.Kept + b.Kept);

    public override string ToString() => Kept == 0 ? "-" : string.Create(CultureInfo.InvariantCulture, $"{100.0 * Agreeing / Kept:F1}%");
}

/// <summary>One finished cell of a task's comparison, with how often its kept labels agree with their seeds' and its Agora's first round's test score.</summary>
public sealed record PooledCell(string Task, ComparisonCell Cell, SeedAgreement AgoraLabels, SeedAgreement RandomLabels, double AgoraFirstRoundTest);

/// <summary>One row of a pooled report: a task, a training size over the tasks, or every cell, with its paired differences.</summary>
public sealed record PooledGroup(string Name, PooledCell[] Cells)
{
    public const string Everything = "pooled";

    /// <summary>Null for a single cell, which has no interval.</summary>
    public PairedDifference? AgoraMinusPlain => Difference(c => c.Cell.AgoraTest - c.Cell.PlainTest);

    public PairedDifference? AgoraMinusRandom => Difference(c => c.Cell.AgoraTest - c.Cell.RandomTest);

    /// <summary>What Agora's schedule of rounds costs or gains before any generated point: its first round against plain at equal data.</summary>
    public PairedDifference? FirstRoundMinusPlain => Difference(c => c.AgoraFirstRoundTest - c.Cell.PlainTest);

    /// <summary>The share of Agora's generated points the labeller was sure enough of to keep.</summary>
    public double KeptShare => Cells.Sum(c => c.Cell.AgoraGenerated) == 0 ? 0 : (double)Cells.Sum(c => c.Cell.AgoraKept) / Cells.Sum(c => c.Cell.AgoraGenerated);

    public SeedAgreement AgoraLabels => Cells.Aggregate(new SeedAgreement(0, 0), (sum, c) => sum + c.AgoraLabels);

    public SeedAgreement RandomLabels => Cells.Aggregate(new SeedAgreement(0, 0), (sum, c) => sum + c.RandomLabels);

    private PairedDifference? Difference(Func<PooledCell, double> difference) =>
        PairedDifference.OfAtLeastTwo(Cells.Select(difference).ToArray());
}
