using System.Text.Json;
using Ose.Testing;

namespace Ose.Studies.Tests;

/// <summary>
/// A complete study small enough to run in seconds: a data directory of our own (a 19-word vocabulary, a corpus of
/// toy sentences, a sentiment task whose label is the sentiment word), a ⟨2,2,32,64⟩ source, an 8-candidate space.
/// </summary>
sealed class TinyStudy : IDisposable
{
    private static readonly string[] Filler = ["the", "film", "was", "a", "book", "really", "plot", "and"];
    private static readonly string[] Positive = ["good", "great", "nice"], Negative = ["bad", "awful", "poor"];

    public string Root { get; } = Directory.CreateTempSubdirectory("ose-study-").FullName;
    public string Data => Path.Combine(Root, "data");
    public string Config => Path.Combine(Root, "tiny-study.json");

    public TinyStudy()
    {
        Directory.CreateDirectory(Path.Combine(Data, "corpus"));
        File.WriteAllLines(Path.Combine(Data, "vocab.txt"), ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", .. Filler, .. Positive, .. Negative]);
        File.WriteAllLines(Path.Combine(Data, "corpus", "train.txt"), Sentences(600, seed: 1).Select(s => s.Text));
        File.WriteAllLines(Path.Combine(Data, "corpus", "dev.txt"), Sentences(200, seed: 2).Select(s => s.Text));
        string task = Path.Combine(Data, "tasks", "TOY");
        Directory.CreateDirectory(task);
        foreach (var (split, count, seed) in new[] { ("train", 120, 3), ("dev", 40, 4), ("test", 40, 5) })
            File.WriteAllLines(Path.Combine(task, $"{split}.tsv"),
                Sentences(count, seed).Select(s => $"{s.Text}\t{(s.Positive ? "pos" : "neg")}").Prepend("sentence\tlabel"));
        File.WriteAllLines(Path.Combine(task, "labels.txt"), ["neg", "pos"]);

        File.WriteAllText(Path.Combine(Root, "source.json"), """
            {"model_type": "bert", "hidden_size": 32, "num_hidden_layers": 2, "num_attention_heads": 2, "intermediate_size": 64,
             "vocab_size": 19, "max_position_embeddings": 64, "type_vocab_size": 2}
            """);
        File.WriteAllText(Path.Combine(Root, "space.json"), """{"name": "tiny", "D": [1, 2], "A": [2], "H": [16, 32], "I": [32, 64]}""");
        WriteConfig();
    }

    /// <summary>Writes the study config; <paramref name="seed"/> changes its hash and every trained figure.</summary>
    public void WriteConfig(long seed = 0)
    {
        var θ = new { learning_rate = 3e-3, steps = 20, batch_size = 8, evaluate_every = 10, max_length = 16 };
        var config = new
        {
            description = "tiny",
            source = Path.Combine(Root, "source.json"),
            seed,
            search = new { space = Path.Combine(Root, "space.json"), epsilon = 0.5, errors = "train" },
            teacher = new { steps = 20, batch = 4, seq = 16 },
            pretrain = new { steps = 20, batch = 4, seq = 16, distil = true },
            finetune = new
            {
                tasks = new[] { new { name = "TOY" } },
                train_sizes = new[] { 16 },
                seeds = 1,
                theta = new[] { θ },
                labeller = θ with { steps = 60 },
                agora = new { rounds = 1, k = 2, fraction = 0.3, min_confidence = 0.0, force_labeller = true },
            },
            latency = new { batches = new[] { 1 }, sequence_length = 16, threads = 1, repeats = 1 },
        };
        File.WriteAllText(Config, JsonSerializer.Serialize(config));
    }

    /// <summary>
    /// A study of a source with weights: a random ⟨3,4,32,48⟩ BERT on the study's vocabulary, written as a PyTorch-style
    /// ONNX file; the student is cut out of it; TOY is re-split, and a copy of it is named by its folder. Returns the
    /// config's path.
    /// </summary>
    public string WriteWeightedConfig()
    {
        string folder = Path.Combine(Root, "source");
        Directory.CreateDirectory(folder);
        using (var weights = TinySources.Weights(TinySources.Config() with { V = 19, S = 64 }, seed: 3))
            PyTorchStyleOnnx.Save(PyTorchStyleOnnx.Build(weights), Path.Combine(folder, "source.onnx"));
        File.Copy(Path.Combine(Data, "vocab.txt"), Path.Combine(folder, "vocab.txt"));
        // A second task, named by its folder: the same examples, so that Agora's comparison can be pooled over two.
        string secondTask = Path.Combine(Root, "more-tasks", "TOY2");
        Directory.CreateDirectory(secondTask);
        foreach (string file in Directory.GetFiles(Path.Combine(Data, "tasks", "TOY"))) File.Copy(file, Path.Combine(secondTask, Path.GetFileName(file)));
        File.WriteAllText(Path.Combine(Root, "weighted-space.json"), """{"name": "tiny-weighted", "D": [1, 2], "A": [2], "H": [16, 32], "I": [24, 32]}""");
        var θ = new { learning_rate = 3e-3, steps = 20, batch_size = 8, evaluate_every = 10, max_length = 16 };
        var config = new
        {
            description = "tiny, with weights",
            source = Path.Combine(folder, "source.onnx"),
            search = new { space = Path.Combine(Root, "weighted-space.json"), epsilon = 0.5 },
            head = new { steps = 30, batch = 8, seq = 16, learning_rate = 3e-3 },
            pretrain = new { steps = 20, batch = 4, seq = 16, learning_rate = 1e-3, distil = true },
            finetune = new
            {
                tasks = new object[] { new { name = "TOY", dev = 20, test = 20 }, new { name = secondTask } },
                train_sizes = new[] { 16 },
                seeds = 1,
                theta = new[] { θ },
                labeller = θ with { steps = 40 },
                student = θ with { steps = 40 },
                agora = new { rounds = 1, k = 2, fraction = 0.3, min_confidence = 0.0, force_labeller = true },
            },
            latency = new { batches = new[] { 1 }, sequence_length = 16, threads = 1, repeats = 1 },
        };
        string path = Path.Combine(Root, "tiny-weighted-study.json");
        File.WriteAllText(path, JsonSerializer.Serialize(config));
        return path;
    }

    public StudyOutcome Run(string outFolder, IProgress<string>? progress = null, CancellationToken cancellation = default) =>
        StudyRun.Execute(Config, Path.Combine(Root, outFolder), Data, "cpu", progress, cancellation);

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
