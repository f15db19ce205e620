using System.Globalization;
using System.Text.Json;

namespace Ose.Tasks;

/// <summary>The metric a task is judged by (GLUE's choices).</summary>
public enum TaskMetric { Accuracy, F1, Matthews }

/// <summary>One example: a sentence, or a sentence pair, and the index of its label in <see cref="TextTask.Labels"/>.</summary>
public sealed record TextExample(string Text, string? Pair, int Label);

/// <summary>
/// A GLUE-style classification task in a folder: <c>train.tsv</c>, <c>dev.tsv</c> and optionally <c>test.tsv</c>, each
/// with a header row of <c>sentence, label</c> (single sentence) or <c>sentence1, sentence2, label</c> (pair);
/// <c>labels.txt</c> (one label a line; default: the training labels in ordinal order); <c>task.json</c> with
/// <c>{"metric": "accuracy" | "f1" | "matthews"}</c> (default accuracy).
/// </summary>
public sealed class TextTask
{
    private TextTask(string name, IReadOnlyList<string> labels, TaskMetric metric, bool isPair,
        IReadOnlyList<TextExample> train, IReadOnlyList<TextExample> dev, IReadOnlyList<TextExample> test)
    {
        Name = name;
        Labels = labels;
        Metric = metric;
        IsPair = isPair;
        Train = train;
        Dev = dev;
        Test = test;
    }

    public string Name { get; }
    public IReadOnlyList<string> Labels { get; }
    public TaskMetric Metric { get; }
    public bool IsPair { get; }
    public IReadOnlyList<TextExample> Train { get; }
    public IReadOnlyList<TextExample> Dev { get; }
    public IReadOnlyList<TextExample> Test { get; }

    public static TextTask Load(string directory)
    {
        if (!Directory.Exists(directory)) throw new UserInputException($"task folder not found: {directory}");
        string trainPath = Path.Combine(directory, "train.tsv"), devPath = Path.Combine(directory, "dev.tsv");
        var train = ReadRows(trainPath, required: true)!;
        var dev = ReadRows(devPath, required: true)!;
        var test = ReadRows(Path.Combine(directory, "test.tsv"), required: false);
        if (train.Rows.Count == 0) throw new UserInputException($"{trainPath} has no examples");
        if (dev.Rows.Count == 0) throw new UserInputException($"{devPath} has no examples: a dev split is needed to choose the best checkpoint");
        if (test is not null && test.IsPair != train.IsPair || dev.IsPair != train.IsPair)
            throw new UserInputException($"{directory}: the splits disagree on whether examples are sentence pairs");

        string labelsPath = Path.Combine(directory, "labels.txt");
        var labels = File.Exists(labelsPath)
            ? File.ReadLines(labelsPath).Where(l => l.Length > 0).ToArray()
            : train.Rows.Select(r => r.Label).Distinct().Order(StringComparer.Ordinal).ToArray();
        if (labels.Length < 2) throw new UserInputException($"{directory}: a classification task needs at least 2 labels, found {labels.Length}");
        if (labels.GroupBy(l => l, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } repeated)
            throw new UserInputException($"{labelsPath}: label '{repeated.Key}' is listed more than once");
        var index = labels.Select((label, i) => (label, i)).ToDictionary(p => p.label, p => p.i, StringComparer.Ordinal);

        return new TextTask(Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory))), labels,
            ReadMetric(directory), train.IsPair, train.Examples(index, labelsPath), dev.Examples(index, labelsPath),
            test?.Examples(index, labelsPath) ?? []);
    }

    private static TaskMetric ReadMetric(string directory)
    {
        string path = Path.Combine(directory, "task.json");
        if (!File.Exists(path)) return TaskMetric.Accuracy;
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            string? name = document.RootElement.TryGetProperty("metric", out var m) ? m.GetString() : null;
            return name switch
            {
                null or "accuracy" => TaskMetric.Accuracy,
                "f1" => TaskMetric.F1,
                "matthews" or "mcc" => TaskMetric.Matthews,
                _ => throw new UserInputException($"{path}: unknown metric '{name}' (accuracy, f1 or matthews)"),
            };
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw new UserInputException($"malformed {path}: {e.Message}");
        }
    }

    private sealed record Row(int Line, string Text, string? Pair, string Label);

    private sealed record Split(string Path, bool IsPair, List<Row> Rows)
    {
        public TextExample[] Examples(Dictionary<string, int> labelIndex, string labelsPath) => Rows.Select(r =>
            labelIndex.TryGetValue(r.Label, out int label)
                ? new TextExample(r.Text, r.Pair, label)
                : throw new UserInputException(string.Create(CultureInfo.InvariantCulture,
                    $"{Path} line {r.Line}: label '{r.Label}' is not one of the task's labels ({(File.Exists(labelsPath) ? "labels.txt" : "those of train.tsv")})")))
            .ToArray();
    }

    private static Split? ReadRows(string path, bool required)
    {
        if (!File.Exists(path))
            return required ? throw new UserInputException($"{path} not found; a task folder needs train.tsv and dev.tsv") : null;
        using var reader = new StreamReader(path);
        string? header = reader.ReadLine();
        // The header is checked by name: a file without one would otherwise lose its first example silently.
        int columns = header switch { "sentence\tlabel" => 2, "sentence1\tsentence2\tlabel" => 3, _ => 0 };
        if (columns == 0)
            throw new UserInputException($"{path} line 1: expected a header of sentence<TAB>label or sentence1<TAB>sentence2<TAB>label");
        var rows = new List<Row>();
        int line = 1;
        for (string? text = reader.ReadLine(); text is not null; text = reader.ReadLine())
        {
            line++;
            if (text.Length == 0) continue;
            var fields = text.Split('\t');
            if (fields.Length != columns || fields.Any(f => f.Length == 0))
                throw new UserInputException(string.Create(CultureInfo.InvariantCulture,
                    $"{path} line {line}: expected {columns} non-empty tab-separated fields, found {fields.Length}"));
            rows.Add(columns == 2 ? new Row(line, fields[0], null, fields[1]) : new Row(line, fields[0], fields[1], fields[2]));
        }
        return new Split(path, columns == 3, rows);
    }
}
