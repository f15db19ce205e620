using Ose.Models;
using Ose.Models.Checkpoints;
using Ose.Tasks;
using static TorchSharp.torch;

namespace Ose.Cli.Tests;

/// <summary>
/// `ose agora run`, `compare` and `pool` on a slot task, as processes: a toy travel task whose City and Vehicle spans are
/// known by their words (so a tiny tagger learns them in seconds), a tagger from `ose finetune` as labeller and a tiny
/// random student.
/// </summary>
public sealed class SlotAgoraCommandTests : IDisposable
{
    private static readonly string[] Filler = ["is", "there", "a", "from", "to", "please", "now", "the", "next", "?"],
        Cities = ["berlin", "paris", "rome", "madrid"], Vehicles = ["bus", "train", "tram"];

    private static readonly IReadOnlyDictionary<int, string> Slots = SlotAnnotation.Numbered(["City", "Vehicle"]);

    private readonly string root = Directory.CreateTempSubdirectory("ose-slot-agora-").FullName;
    private string Data => Path.Combine(root, "data");
    private string Task => Path.Combine(root, "travel");
    private string Student => Path.Combine(root, "student");

    public SlotAgoraCommandTests()
    {
        Directory.CreateDirectory(Data);
        int size = Tiny.WriteVocabulary(Path.Combine(Data, "vocab.txt"), [.. Filler, .. Cities, .. Vehicles]);
        Directory.CreateDirectory(Task);
        File.WriteAllLines(Path.Combine(Task, "slots.txt"), Slots.Values);
        WriteSplit("train", 160, seed: 1);
        WriteSplit("dev", 40, seed: 2);
        WriteSplit("test", 40, seed: 3);
        var config = new EncoderConfig(D: 1, A: 2, H: 32, I: 64, V: size, S: 32, T: 2, Pooler: false, Dropout: 0);
        manual_seed(1);
        using var model = new BertForMaskedLM(config);
        StudentFolder.Save(model, config, Tiny.Record, Student);
    }

    public void Dispose() => Directory.Delete(root, recursive: true);

    /// <summary>Utterances of 3 to 6 filler words with a city and a vehicle, or only a city, placed at random; the intent says which.</summary>
    private void WriteSplit(string split, int count, int seed)
    {
        var random = new Random(seed);
        var lines = new List<string> { "utterance\tlabel" };
        for (int k = 0; k < count; k++)
        {
            var words = Enumerable.Range(0, random.Next(3, 7)).Select(_ => Filler[random.Next(Filler.Length)]).ToList();
            bool withVehicle = random.Next(2) == 1;
            words.Insert(random.Next(words.Count + 1), $"[1 {Cities[random.Next(Cities.Length)]} ]");
            if (withVehicle) words.Insert(random.Next(words.Count + 1), $"[2 {Vehicles[random.Next(Vehicles.Length)]} ]");
            lines.Add($"{string.Join(' ', words)}\t{(withVehicle ? "ride" : "place")}");
        }
        File.WriteAllLines(Path.Combine(Task, $"{split}.tsv"), lines);
    }

    /// <summary>A tagger evaluated only at its last step, so it is kept there (the first step of best dev F1 would be an unsure one).</summary>
    private OseProcess.Outcome Finetune(string output, int steps) => OseProcess.Run(
        "finetune", "--model", Student, "--task", Task, "--lr", "3e-3", "--steps", steps.ToString(), "--eval-every", steps.ToString(), "--max-length", "16",
        "--data", Data, "--out", output);

    /// <summary>A tagger of 150 steps as labeller (one that passes the 2/3 rule on the toy), with its `ose finetune` outcome.</summary>
    private (string Folder, OseProcess.Outcome Tuned) Labeller()
    {
        string labeller = Path.Combine(root, "labeller");
        var tuned = Finetune(labeller, steps: 150);
        Assert.True(tuned.ExitCode == 0, tuned.StandardError);
        return (labeller, tuned);
    }

    /// <summary>Two θ, so the loop generates in round 0 and trains on what it kept in round 1.</summary>
    private string Theta()
    {
        string theta = Path.Combine(root, "theta.json");
        File.WriteAllText(theta, """{"theta": [{"learning_rate": 3e-3, "steps": 30, "evaluate_every": 10, "max_length": 16}, {"learning_rate": 1e-3, "steps": 30, "evaluate_every": 10, "max_length": 16}]}""");
        return theta;
    }

    private OseProcess.Outcome Agora(string labeller, string output) =>
        OseProcess.Run("agora", "run", "--model", Student, "--task", Task, "--labeller", labeller, "--train-size", "16",
            "--theta", Theta(), "--fraction", "0.5", "--data", Data, "--out", output);

    [Fact]
    public void Agora_on_a_slot_task_keeps_teacher_labelled_utterances_whose_annotations_read_back_and_writes_its_report()
    {
        var (labeller, tuned) = Labeller();

        string run = Path.Combine(root, "agora");
        var agora = Agora(labeller, run);
        Assert.True(agora.ExitCode == 0, agora.StandardError);
        Assert.Contains("dev span F1", agora.StandardOutput);
        var rounds = File.ReadAllLines(Path.Combine(run, "rounds.csv")).Skip(1).Select(l => l.Split(',')).ToArray();
        Assert.InRange(rounds.Length, 1, 2);   // one round per θ at most
        var (generated, kept) = (int.Parse(rounds[0][7]), int.Parse(rounds[0][8]));
        Assert.True(kept > 0 && generated >= kept, $"round 0 generated {generated}, kept {kept}: {tuned.StandardOutput} {agora.StandardError}");
        Assert.True(File.Exists(Path.Combine(run, "rounds.png")));

        var rows = File.ReadAllLines(Path.Combine(run, "generated.tsv")).Skip(1).Select(l => l.Split('\t')).ToArray();
        Assert.Equal(kept, rows.Length);
        Assert.All(rows, row =>
        {
            var (label, point) = (SlotAnnotation.Parse(row[2], Slots), SlotAnnotation.Parse(row[4], Slots));
            Assert.Equal(point.Words, label.Words);
            Assert.InRange(double.Parse(row[3], System.Globalization.CultureInfo.InvariantCulture), 0.6, 1.0);   // --min-confidence's default
        });
        // The labeller tags what the sampler drew around: some kept utterance differs from every training and dev one.
        var task = SlotTask.Load(Task);
        var known = task.Train.Concat(task.Dev).Select(e => e.Utterance.Text).ToHashSet();
        Assert.Contains(rows, row => !known.Contains(SlotAnnotation.Parse(row[4], Slots).Text));
    }

    [Fact]
    public void Agora_compare_on_a_slot_task_writes_a_cell_per_seed_in_span_f1_and_pool_reports_the_task_and_the_pool()
    {
        var (labeller, _) = Labeller();
        string comparison = Path.Combine(root, "compare");

        var compare = OseProcess.Run("agora", "compare", "--model", Student, "--task", Task, "--labeller", labeller, "--train-sizes", "16",
            "--seeds", "2", "--theta", Theta(), "--fraction", "0.5", "--data", Data, "--out", comparison);

        Assert.True(compare.ExitCode == 0, compare.StandardError);
        foreach (string cell in new[] { "n16-seed0", "n16-seed1" })
            Assert.True(File.Exists(Path.Combine(comparison, cell, "cell.json")), cell);
        Assert.StartsWith("Test span F1 ×100 on 40 examples;", File.ReadAllText(Path.Combine(comparison, "comparison.md")));

        var pool = OseProcess.Run("agora", "pool", comparison);
        Assert.True(pool.ExitCode == 0, pool.StandardError);
        var rows = pool.StandardOutput.Split('\n').Where(l => l.StartsWith("| ", StringComparison.Ordinal)).ToArray();
        Assert.Contains(rows, r => r.StartsWith("| travel | 16 | 2 | ", StringComparison.Ordinal));
        var pooled = Assert.Single(rows, r => r.StartsWith("| **pooled** | 16 | 2 | ", StringComparison.Ordinal));
        // Both arms kept tagged utterances, and each was held against its seed's gold spans.
        Assert.Matches(@"\| \d+\.\d%, \d+\.\d% \|$", pooled);
    }

    [Fact]
    public void Agora_refuses_a_tagger_at_or_below_two_thirds_dev_span_f1_in_one_line_and_leaves_no_files()
    {
        string labeller = Path.Combine(root, "weak");
        Assert.Equal(0, Finetune(labeller, steps: 1).ExitCode);
        string run = Path.Combine(root, "refused");

        var agora = Agora(labeller, run);

        Assert.Equal(2, agora.ExitCode);
        Assert.Single(agora.StandardError.Trim().Split('\n'));
        Assert.Contains("the labeller's dev span F1 is", agora.StandardError);
        Assert.Contains("not above 0.667", agora.StandardError);
        Assert.False(Directory.Exists(run) && Directory.EnumerateFileSystemEntries(run).Any(), "the refused run left files");
    }
}
