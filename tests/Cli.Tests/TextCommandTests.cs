using Ose.Models;
using Ose.Models.Checkpoints;
using static TorchSharp.torch;

namespace Ose.Cli.Tests;

/// <summary>
/// `ose finetune` and `ose agora run` end to end, as processes, on a data directory of our own: a 19-word vocabulary,
/// a toy sentiment task (a sentence is positive when it holds good, great or nice) and a tiny random student.
/// </summary>
public sealed class TextCommandTests : IDisposable
{
    private static readonly string[] Vocabulary =
        ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "the", "film", "was", "a", "book", "really", "plot", "and",
         "good", "great", "nice", "bad", "awful", "poor"];

    private readonly string root = Directory.CreateTempSubdirectory("ose-text-cli-").FullName;
    private string Data => Path.Combine(root, "data");
    private string Task => Path.Combine(root, "toy");
    private string Student => Path.Combine(root, "student");

    public TextCommandTests()
    {
        Directory.CreateDirectory(Data);
        File.WriteAllLines(Path.Combine(Data, "vocab.txt"), Vocabulary);
        Directory.CreateDirectory(Task);
        WriteSplit("train", 160, seed: 1);
        WriteSplit("dev", 40, seed: 2);
        WriteSplit("test", 40, seed: 3);
        File.WriteAllLines(Path.Combine(Task, "labels.txt"), ["neg", "pos"]);
        var config = new EncoderConfig(D: 1, A: 2, H: 32, I: 64, V: Vocabulary.Length, S: 32, T: 2, Pooler: false, Dropout: 0);
        manual_seed(1);
        using var model = new BertForMaskedLM(config);
        StudentFolder.Save(model, config, Tiny.Record, Student);
    }

    public void Dispose() => Directory.Delete(root, recursive: true);

    private void WriteSplit(string split, int count, int seed, Func<string, string>? label = null)
    {
        var random = new Random(seed);
        string[] filler = ["the", "film", "was", "a", "book", "really", "plot", "and"], positive = ["good", "great", "nice"], negative = ["bad", "awful", "poor"];
        var lines = new List<string> { "sentence\tlabel" };
        for (int k = 0; k < count; k++)
        {
            bool isPositive = random.Next(2) == 1;
            var words = Enumerable.Range(0, random.Next(3, 7)).Select(_ => filler[random.Next(filler.Length)]).ToList();
            var sentiment = isPositive ? positive : negative;
            words.Insert(random.Next(words.Count + 1), sentiment[random.Next(sentiment.Length)]);
            string name = isPositive ? "pos" : "neg";
            lines.Add($"{string.Join(' ', words)}\t{label?.Invoke(name) ?? name}");
        }
        File.WriteAllLines(Path.Combine(Task, $"{split}.tsv"), lines);
    }

    private OseProcess.Outcome Finetune(string task, string output, int steps = 120) => OseProcess.Run(
        "finetune", "--model", Student, "--task", task, "--lr", "3e-3", "--steps", steps.ToString(), "--eval-every", "20", "--max-length", "16",
        "--data", Data, "--out", output);

    private OseProcess.Outcome Agora(string labeller, string output, params string[] more)
    {
        string theta = Path.Combine(root, "theta.json");
        File.WriteAllText(theta, """{"theta": [{"learning_rate": 3e-3, "steps": 30, "evaluate_every": 10, "max_length": 16}, {"learning_rate": 1e-3, "steps": 30, "evaluate_every": 10, "max_length": 16}]}""");
        return OseProcess.Run(["agora", "run", "--model", Student, "--task", Task, "--labeller", labeller, "--train-size", "16",
            "--theta", theta, "--data", Data, "--out", output, .. more]);
    }

    private static void AssertOneLineUserError(OseProcess.Outcome run, string expected)
    {
        Assert.Equal(2, run.ExitCode);
        Assert.Single(run.StandardError.Trim().Split('\n'));
        Assert.Contains(expected, run.StandardError);
    }

    [Fact]
    public void Finetune_writes_a_labeller_that_agora_accepts_and_agora_writes_its_round_report()
    {
        string labeller = Path.Combine(root, "labeller");
        var tuned = Finetune(Task, labeller);
        Assert.True(tuned.ExitCode == 0, tuned.StandardError);
        Assert.Contains("test accuracy", tuned.StandardOutput);
        foreach (string file in new[] { "model/config.json", "model/model.safetensors", "model/vocab.txt", "finetune.csv" })
            Assert.True(File.Exists(Path.Combine(labeller, file)), file);

        string run = Path.Combine(root, "agora");
        var agora = Agora(labeller, run);
        Assert.True(agora.ExitCode == 0, agora.StandardError);
        var rounds = File.ReadAllLines(Path.Combine(run, "rounds.csv"));
        Assert.StartsWith("round,", rounds[0]);
        Assert.InRange(rounds.Length - 1, 1, 2);   // one round per θ at most
        Assert.True(File.Exists(Path.Combine(run, "rounds.png")));
    }

    [Fact]
    public void Agora_compare_writes_one_cell_per_size_and_seed_and_pool_reports_their_paired_differences()
    {
        string labeller = Path.Combine(root, "labeller");
        Assert.Equal(0, Finetune(Task, labeller).ExitCode);
        string theta = Path.Combine(root, "theta-compare.json");
        File.WriteAllText(theta, """{"theta": [{"learning_rate": 3e-3, "steps": 20, "evaluate_every": 10, "max_length": 16}]}""");
        string comparison = Path.Combine(root, "toy-compare");
        var compare = OseProcess.Run("agora", "compare", "--model", Student, "--task", Task, "--labeller", labeller, "--train-sizes", "16,24",
            "--seeds", "2", "--rounds", "2", "--theta", theta, "--data", Data, "--out", comparison);
        Assert.True(compare.ExitCode == 0, compare.StandardError);
        foreach (string cell in new[] { "n16-seed0", "n16-seed1", "n24-seed0", "n24-seed1" })
            Assert.True(File.Exists(Path.Combine(comparison, cell, "cell.json")), cell);

        string pooled = Path.Combine(root, "pooled");
        var pool = OseProcess.Run("agora", "pool", comparison, "--out", pooled);
        Assert.True(pool.ExitCode == 0, pool.StandardError);
        var rows = File.ReadAllLines(Path.Combine(pooled, "pooled.md")).Where(l => l.StartsWith("| ", StringComparison.Ordinal)).ToArray();
        Assert.Contains(rows, r => r.StartsWith("| toy | 16, 24 | 4 | ", StringComparison.Ordinal));
        Assert.Contains(rows, r => r.StartsWith("| all, n = 16 | 16 | 2 | ", StringComparison.Ordinal));
        var pooledRow = Assert.Single(rows, r => r.StartsWith("| **pooled** | 16, 24 | 4 | ", StringComparison.Ordinal));
        // Agora − plain, Agora − random seeds and Agora's first round − plain, each with its interval.
        Assert.Matches(@"^\| \*\*pooled\*\* \| 16, 24 \| 4( \| [+−]?\d+\.\d \[[^]|]+\]){3} \| ", pooledRow);
        Assert.True(new FileInfo(Path.Combine(pooled, "pooled.png")).Length > 0);

        AssertOneLineUserError(OseProcess.Run("agora", "pool", comparison, comparison), "is given twice");
    }

    [Fact]
    public void Agora_refuses_a_labeller_with_other_labels_one_no_better_than_two_thirds_and_one_of_another_vocabulary()
    {
        string labeller = Path.Combine(root, "labeller");
        Assert.Equal(0, Finetune(Task, labeller).ExitCode);

        // Other labels: the same task with its labels renamed.
        string renamed = Path.Combine(root, "renamed");
        Directory.CreateDirectory(renamed);
        foreach (string file in Directory.GetFiles(Task))
            File.WriteAllText(Path.Combine(renamed, Path.GetFileName(file)),
                File.ReadAllText(file).Replace("\tneg", "\tnegative").Replace("\tpos", "\tpositive").Replace("neg\n", "negative\n").Replace("pos\n", "positive\n"));
        var untrained = Path.Combine(root, "untrained");
        var other = Finetune(renamed, untrained, steps: 1);
        Assert.True(other.ExitCode == 0, other.StandardError);
        AssertOneLineUserError(Agora(untrained, Path.Combine(root, "a1")), "are not the task's");

        // A labeller trained one step on the renamed task, given the renamed labels back: no better than chance.
        File.WriteAllLines(Path.Combine(Task, "labels.txt"), ["negative", "positive"]);
        WriteSplit("train", 160, seed: 1, name => name == "pos" ? "positive" : "negative");
        WriteSplit("dev", 40, seed: 2, name => name == "pos" ? "positive" : "negative");
        WriteSplit("test", 40, seed: 3, name => name == "pos" ? "positive" : "negative");
        AssertOneLineUserError(Agora(untrained, Path.Combine(root, "a2")), "not above 0.667");

        // Another vocabulary.
        File.AppendAllLines(Path.Combine(labeller, "model", "vocab.txt"), ["extra"]);
        AssertOneLineUserError(Agora(labeller, Path.Combine(root, "a3")), "another vocabulary");

        foreach (string refused in new[] { "a1", "a2", "a3" })
        {
            string folder = Path.Combine(root, refused);
            Assert.False(Directory.Exists(folder) && Directory.EnumerateFileSystemEntries(folder).Any(), $"{refused} has files");
        }
    }

    [Fact]
    public void Finetune_refuses_an_empty_dev_split_and_a_malformed_row_in_one_line()
    {
        File.WriteAllLines(Path.Combine(Task, "dev.tsv"), ["sentence\tlabel"]);
        AssertOneLineUserError(Finetune(Task, Path.Combine(root, "f1")), "dev.tsv has no examples");

        WriteSplit("dev", 40, seed: 2);
        File.AppendAllLines(Path.Combine(Task, "train.tsv"), ["a row without its label"]);
        AssertOneLineUserError(Finetune(Task, Path.Combine(root, "f2")), "train.tsv line 162");
        Assert.False(Directory.Exists(Path.Combine(root, "f2")));
    }

    [Fact]
    public void Finetune_on_a_slot_task_whose_labels_txt_repeats_an_intent_is_one_line_and_exit_2()
    {
        string slots = Path.Combine(root, "slots");
        Directory.CreateDirectory(slots);
        File.WriteAllLines(Path.Combine(slots, "slots.txt"), ["Film"]);
        File.WriteAllLines(Path.Combine(slots, "train.tsv"), ["utterance\tlabel", "the [1 film ] was good\tpos", "a bad book\tneg"]);
        File.WriteAllLines(Path.Combine(slots, "dev.tsv"), ["utterance\tlabel", "the [1 plot ] was nice\tpos"]);
        File.WriteAllLines(Path.Combine(slots, "labels.txt"), ["pos", "neg", "pos"]);

        var run = Finetune(slots, Path.Combine(root, "s1"));

        AssertOneLineUserError(run, "intent 'pos' is listed more than once");
        Assert.False(Directory.Exists(Path.Combine(root, "s1")));
    }
}
