using System.Globalization;
using System.Text.Json;
using System.Text;
using Ose.IO;
using Ose.Tasks;

namespace Ose.Agora.Text;

/// <summary>One (training size, seed) cell of the comparison: test scores of plain fine-tuning and of Agora at equal compute.</summary>
public sealed record ComparisonCell(int TrainSize, long Seed, int Steps, double PlainDev, double PlainTest, double AgoraDev, double AgoraTest,
    int AgoraRounds, int GeneratedPoints);

/// <summary>
/// Plain fine-tuning against Agora on a scarce training split: the same student, the same Θ, the same compute. Agora
/// runs first; plain fine-tuning then gets the optimizer steps Agora spent in all, shared among Θ in proportion to each
/// θ's steps, and keeps the best θ on dev. Both report the test metric of their best-dev student. Every finished
/// cell is written to the output folder, so a killed comparison continues where it stopped.
/// </summary>
public sealed class AgoraComparison(TextTask task, IStudentTrainer<TextInput> students, ILabeller<TextInput> labeller,
    INeighbourSampler<TextInput> sampler, AgoraOptions options)
{
    public IReadOnlyList<ComparisonCell> Run(IReadOnlyList<int> trainSizes, int seeds, string outFolder, IProgress<string>? progress = null,
        CancellationToken cancellation = default)
    {
        if (task.Test.Count == 0) throw new UserInputException($"task {task.Name} has no test split to compare on");
        var cells = new List<ComparisonCell>();
        foreach (int size in trainSizes)
            for (long seed = 0; seed < seeds; seed++)
            {
                string folder = Path.Combine(outFolder, $"n{size}-seed{seed}");
                string cellFile = Path.Combine(folder, "cell.json");
                if (File.Exists(cellFile))
                {
                    cells.Add(JsonSerializer.Deserialize<ComparisonCell>(File.ReadAllText(cellFile))!);
                    continue;
                }
                var cell = RunCell(size, seed, folder, progress, cancellation);
                CrashSafe.WriteText(cellFile, JsonSerializer.Serialize(cell));
                cells.Add(cell);
                progress?.Report(string.Create(CultureInfo.InvariantCulture,
                    $"n={size} seed={seed}: plain {cell.PlainTest:F4}, Agora {cell.AgoraTest:F4} at {cell.Steps} steps each"));
            }
        CrashSafe.WriteText(Path.Combine(outFolder, "comparison.csv"), Csv(cells));
        CrashSafe.WriteText(Path.Combine(outFolder, "comparison.md"), Markdown(cells, task));
        return cells;
    }

    private ComparisonCell RunCell(int size, long seed, string folder, IProgress<string>? progress, CancellationToken cancellation)
    {
        var train = TextPoints.From(Subset(task.Train, size, seed));
        var dev = TextPoints.From(task.Dev);
        var test = TextPoints.From(task.Test);
        var loop = new AgoraLoop<TextInput>(students, sampler, labeller, new TextFormat(), options with { Seed = seed });
        var agora = loop.Run(train, dev, test, Path.Combine(folder, "agora"), progress: progress, cancellation: cancellation);
        int budget = agora.TotalSteps;

        double share = (double)budget / options.Θ.Sum(θ => θ.Steps);
        double plainDev = double.NegativeInfinity, plainTest = 0;
        for (int j = 0; j < options.Θ.Count; j++)
        {
            var θ = options.Θ[j] with { Steps = Math.Max(1, (int)Math.Round(options.Θ[j].Steps * share)) };
            using var student = students.Train(train, dev, θ, seed * 31 + j, cancellation);
            if (student.DevScore <= plainDev) continue;
            plainDev = student.DevScore;
            plainTest = students.Score(students.Predict(student, test.Select(p => p.Point).ToArray()), test.Select(p => p.Label).ToArray());
        }
        var best = agora.Best;
        return new ComparisonCell(size, seed, budget, plainDev, plainTest, best.DevScore, best.TestScore!.Value, agora.Rounds.Count, agora.Generated.Count);
    }

    /// <summary>A scarce training split: the first n of a seeded shuffle of the task's training examples.</summary>
    public static T[] Subset<T>(IReadOnlyList<T> train, int size, long seed)
    {
        if (size < 2 || size > train.Count) throw new UserInputException($"training size {size} must lie in [2, {train.Count}]");
        var order = train.ToArray();
        new Random(unchecked((int)(seed * 7919 + size))).Shuffle(order);
        return order[..size];
    }

    private static string Csv(IEnumerable<ComparisonCell> cells)
    {
        var csv = new StringBuilder("train_size,seed,steps,plain_dev,plain_test,agora_dev,agora_test,agora_rounds,generated_points\n");
        foreach (var c in cells)
            csv.Append(CultureInfo.InvariantCulture,
                $"{c.TrainSize},{c.Seed},{c.Steps},{c.PlainDev:R},{c.PlainTest:R},{c.AgoraDev:R},{c.AgoraTest:R},{c.AgoraRounds},{c.GeneratedPoints}\n");
        return csv.ToString();
    }

    private static string Markdown(IReadOnlyList<ComparisonCell> cells, TextTask task)
    {
        var md = new StringBuilder(string.Create(CultureInfo.InvariantCulture,
            $"| train size | seeds | plain fine-tuning (test {task.Metric.ToString().ToLowerInvariant()}) | Agora | Agora − plain | steps each (mean) |\n|---|---|---|---|---|---|\n"));
        foreach (var group in cells.GroupBy(c => c.TrainSize))
        {
            var plain = group.Select(c => c.PlainTest).ToArray();
            var agora = group.Select(c => c.AgoraTest).ToArray();
            var difference = group.Select(c => c.AgoraTest - c.PlainTest).ToArray();
            md.Append(CultureInfo.InvariantCulture,
                $"| {group.Key} | {plain.Length} | {MeanSd(plain)} | {MeanSd(agora)} | {MeanSd(difference)} | {group.Average(c => c.Steps):F0} |\n");
        }
        return md.ToString();
    }

    /// <summary>Mean ± sample standard deviation, in points (×100).</summary>
    private static string MeanSd(double[] values)
    {
        double mean = values.Average();
        double sd = values.Length < 2 ? 0 : Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1));
        return string.Create(CultureInfo.InvariantCulture, $"{100 * mean:F1} ± {100 * sd:F1}");
    }
}
