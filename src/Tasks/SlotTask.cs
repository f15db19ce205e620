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
        TaskFiles.RequireFolder(directory);
        string slotsPath = Path.Combine(directory, SlotsFile);
        if (!File.Exists(slotsPath)) throw new UserInputException($"{slotsPath} not found; a slot task lists its slot names there, one a line");
        var slots = TaskFiles.ReadUtf8Lines(slotsPath).Where(l => l.Length > 0).ToArray();
        if (slots.Length == 0) throw new UserInputException($"{slotsPath} names no slot");
        if (slots.FirstOrDefault(s => s.Any(char.IsWhiteSpace)) is { } spaced)
            throw new UserInputException($"{slotsPath}: slot name '{spaced}' holds whitespace");
        if (slots.GroupBy(s => s, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
            throw new UserInputException($"{slotsPath}: slot {twice.Key} is listed twice");
        var numbers = SlotAnnotation.Numbered(slots);

        var (train, dev, test) = TaskFiles.ReadSplits(directory, [Header]);
        var intents = TaskFiles.ReadLabels(directory, train.Rows.Select(r => r.Fields[1]), "intent");
        var intentOf = TaskFiles.Indexer(directory, intents, "intent");
        SlotExample[] Examples(TaskFiles.Split? split) => split?.Rows.Select(r =>
        {
            try
            {
                return new SlotExample(SlotAnnotation.Parse(r.Fields[0], numbers), intentOf(r, r.Fields[1]));
            }
            catch (UserInputException e) when (!e.Message.StartsWith(r.Path, StringComparison.Ordinal))
            {
                throw r.Error(e.Message);
            }
        }).ToArray() ?? [];

        return new SlotTask(Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory))), slots, intents,
            Examples(train), Examples(dev), Examples(test));
    }
}
