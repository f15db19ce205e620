using System.Text.Json;
using Ose.Models;
using Ose.Models.Checkpoints;
using static TorchSharp.torch;

namespace Ose.Reliability.Tests;

/// <summary>
/// Everything the commands read, small enough that each runs in seconds: a data directory of our own (a 19-word
/// vocabulary, a corpus of toy sentences, a sentiment task TOY), a tiny random student and labeller, Θ, a ⟨2,2,32,64⟩
/// source with an 8-candidate space, and a tiny study. Runs go under <see cref="Runs"/>.
/// </summary>
public sealed class TinyWorld : IDisposable
{
    private static readonly string[] Filler = ["the", "film", "was", "a", "book", "really", "plot", "and"];
    private static readonly string[] Positive = ["good", "great", "nice"], Negative = ["bad", "awful", "poor"];
    private static readonly string[] Words = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", .. Filler, .. Positive, .. Negative];

    public string Root { get; } = Directory.CreateTempSubdirectory("ose-reliability-").FullName;
    public string Data => Path.Combine(Root, "data");
    public string Task => Path.Combine(Data, "tasks", "TOY");
    public string Student => Path.Combine(Root, "student");
    public string Labeller => Path.Combine(Root, "labeller");
    public string Theta => Path.Combine(Root, "theta.json");
    public string Source => Path.Combine(Root, "source.json");
    public string Space => Path.Combine(Root, "space.json");
    public string Study => Path.Combine(Root, "study.json");
    public string Runs => Path.Combine(Root, "runs");

    public TinyWorld()
    {
        set_num_threads(1);
        Directory.CreateDirectory(Path.Combine(Data, "corpus"));
        File.WriteAllLines(Path.Combine(Data, "vocab.txt"), Words);
        File.WriteAllLines(Path.Combine(Data, "corpus", "train.txt"), Sentences(600, seed: 1).Select(s => s.Text));
        File.WriteAllLines(Path.Combine(Data, "corpus", "dev.txt"), Sentences(200, seed: 2).Select(s => s.Text));
        Directory.CreateDirectory(Task);
        foreach (var (split, count, seed) in new[] { ("train", 120, 3), ("dev", 40, 4), ("test", 40, 5) })
            File.WriteAllLines(Path.Combine(Task, $"{split}.tsv"),
                Sentences(count, seed).Select(s => $"{s.Text}\t{(s.Positive ? "pos" : "neg")}").Prepend("sentence\tlabel"));
        File.WriteAllLines(Path.Combine(Task, "labels.txt"), ["neg", "pos"]);

        var config = new EncoderConfig(D: 1, A: 2, H: 32, I: 64, V: Words.Length, S: 32, T: 2, Pooler: false, Dropout: 0);
        var record = new TrainingRecord(new HyperParameters(), Seed: 0);
        manual_seed(1);
        using (var student = new BertForMaskedLM(config)) StudentFolder.Save(student, config, record, Student);
        using (var labeller = new BertForSequenceClassification(config, 2))
            ClassifierFolder.Save(labeller, config, ["neg", "pos"], Path.Combine(Data, "vocab.txt"), record, Labeller);

        File.WriteAllText(Theta, """
            {"theta": [{"learning_rate": 3e-3, "steps": 40, "batch_size": 8, "evaluate_every": 10, "max_length": 16},
                       {"learning_rate": 1e-3, "steps": 40, "batch_size": 8, "evaluate_every": 10, "max_length": 16}]}
            """);
        File.WriteAllText(Source, """
            {"model_type": "bert", "hidden_size": 32, "num_hidden_layers": 2, "num_attention_heads": 2, "intermediate_size": 64,
             "vocab_size": 19, "max_position_embeddings": 64, "type_vocab_size": 2}
            """);
        File.WriteAllText(Space, """{"name": "tiny", "D": [1, 2], "A": [2], "H": [16, 32], "I": [32, 64]}""");
        WriteStudy(Study);
        Directory.CreateDirectory(Runs);
    }

    /// <summary>A study of every stage, seconds long: search (trained errors), teacher, distilled student, labeller, Agora, latency.</summary>
    public void WriteStudy(string path, string task = "TOY")
    {
        var θ = new { learning_rate = 3e-3, steps = 20, batch_size = 8, evaluate_every = 10, max_length = 16 };
        var study = new
        {
            description = "tiny",
            source = Source,
            seed = 0,
            search = new { space = Space, epsilon = 0.5, errors = "train" },
            teacher = new { steps = 20, batch = 4, seq = 16 },
            pretrain = new { steps = 20, batch = 4, seq = 16, distil = true },
            finetune = new
            {
                tasks = new[] { new { name = task } },
                train_sizes = new[] { 16 },
                seeds = 1,
                theta = new[] { θ },
                labeller = θ with { steps = 40 },
                agora = new { rounds = 1, k = 2, fraction = 0.3, min_confidence = 0.0, force_labeller = true },
            },
            latency = new { batches = new[] { 1 }, sequence_length = 16, threads = 1, repeats = 1 },
        };
        File.WriteAllText(path, JsonSerializer.Serialize(study));
    }

    /// <summary>A fresh folder path under <see cref="Runs"/> (not created).</summary>
    public string NewRun(string name) => Path.Combine(Runs, $"{name}-{Guid.NewGuid():N}"[..(name.Length + 9)]);

    private static IEnumerable<(string Text, bool Positive)> Sentences(int count, int seed)
    {
        var random = new Random(seed);
        for (int k = 0; k < count; k++)
        {
            bool positive = random.Next(2) == 1;
            var words = Enumerable.Range(0, random.Next(3, 7)).Select(_ => Filler[random.Next(Filler.Length)]).ToList();
            var sentiment = positive ? Positive : Negative;
            words.Insert(random.Next(words.Count + 1), sentiment[random.Next(sentiment.Length)]);
            yield return (string.Join(' ', words), positive);
        }
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
