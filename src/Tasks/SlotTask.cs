using System.Globalization;

namespace Ose.Tasks;

/// <summary>One slot-tagging example: the utterance with its tagged spans (ST) and its intent (IC), an index into <see cref="SlotTask.Intents"/>.</summary>
public sealed record SlotExample(SlotAnnotation Utterance, int Intent);

/// <summary>
/// An intent classification and slot tagging (IC+ST) task in a folder, laid out as <see cref="TextTask"/> lays out
/// classification tasks:
/// <list type="bullet">
/// <item><c>slots.txt</c>: the slot names, one a line; a slot's number in the annotation is its line, from 1. This
/// file is what makes a folder a slot task.</item>
/// <item><c>train.tsv</c>, <c>dev.tsv</c> and optionally <c>test.tsv</c>: a header row <c>utterance&lt;TAB&gt;label</c>, then
/// one example a line: the utterance in LINGUIST's bracket annotation (<see cref="SlotAnnotation"/>) and its intent,
/// as in <c>is there a bus from [1 odeonsplatz ] to [2 hauptbahnhof ] ?&lt;TAB&gt;FindConnection</c>.</item>
/// <item><c>labels.txt</c>: the intents, one a line (default: the training intents in ordinal order).</item>
/// </list>
/// </summary>
public sealed class SlotTask
{
    public const string SlotsFile = "slots.txt";
    private const string Header = "utterance\tlabel";

    private SlotTask(string name, IReadOnlyList<string> slots, IReadOnlyList<string> intents,
        IReadOnlyList<SlotExample> train, IReadOnlyList<SlotExample> dev, IReadOnlyList<SlotExample> test)
    {
        Name = name;
        Tags = new BioTagSet(slots);
        Intents = intents;
        Train = train;
        Dev = dev;
        Test = test;
    }

    public string Name { get; }
    public BioTagSet Tags { get; }
    public IReadOnlyList<string> Slots => Tags.Slots;
    public IReadOnlyDictionary<int, string> SlotNumbers => SlotAnnotation.Numbered(Slots);
    public IReadOnlyList<string> Intents { get; }
    public IReadOnlyList<SlotExample> Train { get; }
    public IReadOnlyList<SlotExample> Dev { get; }
    public IReadOnlyList<SlotExample> Test { get; }

    public static bool IsSlotTask(string directory) => File.Exists(Path.Combine(directory, SlotsFile));

    public static SlotTask Load(string directory)
    {
        if (!Directory.Exists(directory)) throw new UserInputException($"task folder not found: {directory}");
        string slotsPath = Path.Combine(directory, SlotsFile);
        if (!File.Exists(slotsPath)) throw new UserInputException($"{slotsPath} not found; a slot task lists its slot names there, one a line");
        var slots = File.ReadLines(slotsPath).Where(l => l.Length > 0).ToArray();
        if (slots.Length == 0) throw new UserInputException($"{slotsPath} names no slot");
        if (slots.FirstOrDefault(s => s.Any(char.IsWhiteSpace)) is { } spaced)
            throw new UserInputException($"{slotsPath}: slot name '{spaced}' holds whitespace");
        if (slots.GroupBy(s => s, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
            throw new UserInputException($"{slotsPath}: slot {twice.Key} is listed twice");
        var numbers = SlotAnnotation.Numbered(slots);

        string trainPath = Path.Combine(directory, "train.tsv"), devPath = Path.Combine(directory, "dev.tsv");
        var train = ReadRows(trainPath, numbers, required: true)!;
        var dev = ReadRows(devPath, numbers, required: true)!;
        var test = ReadRows(Path.Combine(directory, "test.tsv"), numbers, required: false);
        if (train.Count == 0) throw new UserInputException($"{trainPath} has no examples");
        if (dev.Count == 0) throw new UserInputException($"{devPath} has no examples: a dev split is needed to choose the best checkpoint");

        string labelsPath = Path.Combine(directory, "labels.txt");
        var intents = File.Exists(labelsPath)
            ? File.ReadLines(labelsPath).Where(l => l.Length > 0).ToArray()
            : train.Select(r => r.Intent).Distinct().Order(StringComparer.Ordinal).ToArray();
        var index = intents.Select((intent, i) => (intent, i)).ToDictionary(p => p.intent, p => p.i, StringComparer.Ordinal);
        SlotExample[] Examples(List<Row> rows) => rows.Select(r => index.TryGetValue(r.Intent, out int intent)
            ? new SlotExample(r.Utterance, intent)
            : throw new UserInputException(string.Create(CultureInfo.InvariantCulture,
                $"{r.Path} line {r.Line}: intent '{r.Intent}' is not one of the task's intents ({(File.Exists(labelsPath) ? "labels.txt" : "those of train.tsv")})"))).ToArray();

        return new SlotTask(Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory))), slots, intents,
            Examples(train), Examples(dev), test is null ? [] : Examples(test));
    }

    private sealed record Row(string Path, int Line, SlotAnnotation Utterance, string Intent);

    private static List<Row>? ReadRows(string path, IReadOnlyDictionary<int, string> slots, bool required)
    {
        if (!File.Exists(path))
            return required ? throw new UserInputException($"{path} not found; a task folder needs train.tsv and dev.tsv") : null;
        using var reader = new StreamReader(path);
        if (reader.ReadLine() != Header)
            throw new UserInputException($"{path} line 1: expected the header utterance<TAB>label of a slot task");
        var rows = new List<Row>();
        int line = 1;
        for (string? text = reader.ReadLine(); text is not null; text = reader.ReadLine())
        {
            line++;
            if (text.Length == 0) continue;
            var fields = text.Split('\t');
            if (fields.Length != 2 || fields.Any(f => f.Length == 0))
                throw new UserInputException(string.Create(CultureInfo.InvariantCulture,
                    $"{path} line {line}: expected 2 non-empty tab-separated fields (utterance, label), found {fields.Length}"));
            try
            {
                rows.Add(new Row(path, line, SlotAnnotation.Parse(fields[0], slots), fields[1]));
            }
            catch (UserInputException e)
            {
                throw new UserInputException(string.Create(CultureInfo.InvariantCulture, $"{path} line {line}: {e.Message}"), e);
            }
        }
        return rows;
    }
}
