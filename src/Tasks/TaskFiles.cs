using System.Globalization;
using System.Text;

namespace Ose.Tasks;

/// <summary>
/// What the two kinds of task folder (<see cref="TextTask"/>, <see cref="SlotTask"/>) share, with every check in one
/// place: <c>train.tsv</c> and <c>dev.tsv</c> (required, not empty) and <c>test.tsv</c> (optional), each valid UTF-8
/// with a header row naming its columns; and <c>labels.txt</c>, one label a line, none twice (default: the training
/// labels in ordinal order). Every error names the file and the line.
/// </summary>
internal static class TaskFiles
{
    public const string LabelsFile = "labels.txt";

    /// <summary>One data row: where it is, and its tab-separated fields (all non-empty).</summary>
    public sealed record Row(string Path, int Line, string[] Fields)
    {
        public UserInputException Error(string message) =>
            new(string.Create(CultureInfo.InvariantCulture, $"{Path} line {Line}: {message}"));
    }

    /// <summary>The rows of one split, and which of the accepted headers it has.</summary>
    public sealed record Split(string Path, string Header, IReadOnlyList<Row> Rows);

    public static void RequireFolder(string directory)
    {
        if (!Directory.Exists(directory)) throw new UserInputException($"task folder not found: {directory}");
    }

    /// <summary>train, dev and (where present) test: the first two must exist and hold examples.</summary>
    public static (Split Train, Split Dev, Split? Test) ReadSplits(string directory, IReadOnlyList<string> headers)
    {
        var train = ReadSplit(Path.Combine(directory, "train.tsv"), headers, required: true)!;
        var dev = ReadSplit(Path.Combine(directory, "dev.tsv"), headers, required: true)!;
        var test = ReadSplit(Path.Combine(directory, "test.tsv"), headers, required: false);
        if (train.Rows.Count == 0) throw new UserInputException($"{train.Path} has no examples");
        if (dev.Rows.Count == 0) throw new UserInputException($"{dev.Path} has no examples: a dev split is needed to choose the best checkpoint");
        return (train, dev, test);
    }

    private static Split? ReadSplit(string path, IReadOnlyList<string> headers, bool required)
    {
        if (!File.Exists(path))
            return required ? throw new UserInputException($"{path} not found; a task folder needs train.tsv and dev.tsv") : null;
        var lines = ReadUtf8Lines(path);
        // The header is checked by name: a file without one would otherwise lose its first example silently.
        string header = lines.Length > 0 && headers.Contains(lines[0]) ? lines[0]
            : throw new UserInputException($"{path} line 1: expected a header row, {string.Join(" or ", headers.Select(h => h.Replace("\t", "<TAB>")))}");
        int columns = header.Split('\t').Length;
        var rows = new List<Row>();
        for (int k = 1; k < lines.Length; k++)
        {
            if (lines[k].Length == 0) continue;
            var row = new Row(path, k + 1, lines[k].Split('\t'));
            if (row.Fields.Length != columns || row.Fields.Any(f => f.Length == 0))
                throw row.Error($"expected {columns} non-empty tab-separated fields ({header.Replace("\t", ", ")}), found {row.Fields.Length}");
            rows.Add(row);
        }
        return new Split(path, header, rows);
    }

    /// <summary>The labels of <c>labels.txt</c>, or the training labels in ordinal order; none may repeat.</summary>
    public static string[] ReadLabels(string directory, IEnumerable<string> trainingLabels, string what)
    {
        string path = Path.Combine(directory, LabelsFile);
        var labels = File.Exists(path)
            ? ReadUtf8Lines(path).Where(l => l.Length > 0).ToArray()
            : trainingLabels.Distinct().Order(StringComparer.Ordinal).ToArray();
        if (labels.GroupBy(l => l, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } repeated)
            throw new UserInputException($"{path}: {what} '{repeated.Key}' is listed more than once");
        return labels;
    }

    /// <summary>Maps a row's label to its index, or names the row whose label the task does not have.</summary>
    public static Func<Row, string, int> Indexer(string directory, IReadOnlyList<string> labels, string what)
    {
        var index = labels.Select((label, i) => (label, i)).ToDictionary(p => p.label, p => p.i, StringComparer.Ordinal);
        string from = File.Exists(Path.Combine(directory, LabelsFile)) ? LabelsFile : "those of train.tsv";
        return (row, label) => index.TryGetValue(label, out int i) ? i
            : throw row.Error($"{what} '{label}' is not one of the task's {what}s ({from})");
    }

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The lines of a text file that must be UTF-8: invalid bytes are an error naming their line, never replaced.</summary>
    public static string[] ReadUtf8Lines(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        string text;
        try
        {
            text = StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException e)
        {
            int line = 1 + bytes.AsSpan(0, Math.Clamp(e.Index, 0, bytes.Length)).Count((byte)'\n');
            throw new UserInputException(string.Create(CultureInfo.InvariantCulture, $"{path} line {line}: not valid UTF-8"));
        }
        if (text.StartsWith('\uFEFF')) text = text[1..];
        return text.Split('\n').Select(l => l.TrimEnd('\r')).SkipLast(text.EndsWith('\n') ? 1 : 0).ToArray();
    }
}
