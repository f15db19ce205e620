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

    private const string SingleHeader = "sentence\tlabel", PairHeader = "sentence1\tsentence2\tlabel";

    public static TextTask Load(string directory)
    {
        TaskFiles.RequireFolder(directory);
        var (train, dev, test) = TaskFiles.ReadSplits(directory, [SingleHeader, PairHeader]);
        if (new[] { dev, test }.Any(split => split is not null && split.Header != train.Header))
            throw new UserInputException($"{directory}: the splits disagree on whether examples are sentence pairs");
        var labels = TaskFiles.ReadLabels(directory, train.Rows.Select(r => r.Fields[^1]), "label");
        if (labels.Length < 2) throw new UserInputException($"{directory}: a classification task needs at least 2 labels, found {labels.Length}");
        var labelOf = TaskFiles.Indexer(directory, labels, "label");
        bool isPair = train.Header == PairHeader;
        TextExample[] Examples(TaskFiles.Split? split) => split?.Rows.Select(r =>
            new TextExample(r.Fields[0], isPair ? r.Fields[1] : null, labelOf(r, r.Fields[^1]))).ToArray() ?? [];

        return new TextTask(Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory))), labels,
            ReadMetric(directory), isPair, Examples(train), Examples(dev), Examples(test));
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
}
