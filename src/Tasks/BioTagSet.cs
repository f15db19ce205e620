namespace Ose.Tasks;

/// <summary>
/// The tags a token tagger chooses among for slots s₁…s_K, as numbers: O is 0, B-s_k is 2k − 1 and I-s_k is 2k.
/// </summary>
public sealed class BioTagSet
{
    private readonly Dictionary<string, int> index;

    public BioTagSet(IReadOnlyList<string> slots)
    {
        Slots = [.. slots];
        Names = ["O", .. slots.SelectMany(s => new[] { "B-" + s, "I-" + s })];
        index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < Names.Count; i++)
            if (!index.TryAdd(Names[i], i)) throw new UserInputException($"slot {Names[i][2..]} is named twice");
    }

    public IReadOnlyList<string> Slots { get; }

    /// <summary>The tag of each number: O, B-s₁, I-s₁, B-s₂, …</summary>
    public IReadOnlyList<string> Names { get; }

    public int Count => Names.Count;

    /// <summary>The tag number of each word.</summary>
    public int[] Encode(SlotAnnotation utterance) => utterance.ToBio().Select(tag =>
        index.TryGetValue(tag, out int i) ? i : throw new UserInputException($"slot {tag[2..]} is not one of the task's slots ({string.Join(", ", Slots)})")).ToArray();

    /// <summary>Spans from one tag number a word (conlleval's reading of ill-formed sequences, see <see cref="SlotAnnotation.FromBio"/>).</summary>
    public SlotAnnotation Decode(IReadOnlyList<string> words, IReadOnlyList<int> tags) =>
        SlotAnnotation.FromBio(words, tags.Select(t => Names[t]).ToArray());

    /// <summary>The tag set whose <see cref="Names"/> are <paramref name="names"/> (a saved tagger's id2label).</summary>
    public static BioTagSet FromNames(IReadOnlyList<string> names)
    {
        var tags = new BioTagSet(names.Where(n => n.StartsWith("B-", StringComparison.Ordinal)).Select(n => n[2..]).ToArray());
        return tags.Names.SequenceEqual(names)
            ? tags
            : throw new UserInputException($"tags {string.Join(", ", names)} are not O, B-s₁, I-s₁, B-s₂, … in that order");
    }
}
