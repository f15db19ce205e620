using System.Globalization;
using System.Text;

namespace Ose.Tasks;

/// <summary>A tagged span of an utterance: words <c>[Start, End)</c> fill the slot.</summary>
public sealed record SlotSpan(int Start, int End, string Slot);

/// <summary>
/// An utterance as words, with the spans that fill its slots (slot tagging, the ST of IC+ST). Written in the bracket
/// annotation of LINGUIST (Rosenbaum et al. 2022, "LINGUIST: Language Model Instruction Tuning to Generate Annotated
/// Utterances for Intent Classification and Slot Tagging"): each span between <c>[n</c> and <c>]</c>, where n is the
/// slot's number in a map from numbers to slot names, every bracket and word separated by a space:
/// <c>is there a bus from [1 odeonsplatz ] to [2 hauptbahnhof ] at [3 3 pm ] ?</c> with
/// {1: StationStart, 2: StationDest, 3: TimeStart}. Spans neither nest nor overlap, and words hold no whitespace and
/// no bracket, so every annotation can be written and <see cref="Parse"/> of <see cref="Format"/> gives it back;
/// text with single spaces and numbers without leading zeros reads back to itself.
/// </summary>
public sealed class SlotAnnotation
{
    private readonly string[] words;
    private readonly SlotSpan[] spans;

    /// <param name="spans">In word order, none empty, none overlapping another.</param>
    public SlotAnnotation(IEnumerable<string> words, IEnumerable<SlotSpan> spans)
    {
        this.words = [.. words];
        this.spans = [.. spans];
        foreach (string word in this.words)
            if (word.Length == 0 || word.Any(c => char.IsWhiteSpace(c) || c is '[' or ']'))
                throw new ArgumentException($"'{word}' cannot be a word of an annotation: words are non-empty, without whitespace or brackets");
        int end = 0;
        foreach (var span in this.spans)
        {
            if (span.Start < end || span.End <= span.Start || span.End > this.words.Length)
                throw new ArgumentException($"span [{span.Start}, {span.End}) of {span.Slot} is empty, out of the {this.words.Length} words, overlaps another or is out of order");
            CheckSlotName(span.Slot);
            end = span.End;
        }
    }

    public IReadOnlyList<string> Words => words;

    public IReadOnlyList<SlotSpan> Spans => spans;

    /// <summary>The plain utterance: the words, separated by spaces.</summary>
    public string Text => string.Join(' ', words);

    /// <summary>Slot names numbered by their place in the list, from 1 (as <c>slots.txt</c> numbers them).</summary>
    public static IReadOnlyDictionary<int, string> Numbered(IReadOnlyList<string> slots) =>
        slots.Select((slot, i) => (slot, i)).ToDictionary(p => p.i + 1, p => p.slot);

    /// <summary>Reads the bracket annotation; a malformed one is the user's mistake, said in one line.</summary>
    public static SlotAnnotation Parse(string annotated, IReadOnlyDictionary<int, string> slots)
    {
        var words = new List<string>();
        var spans = new List<SlotSpan>();
        (int Start, int Number, string Slot)? open = null;
        foreach (string token in annotated.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            if (token.StartsWith('['))
            {
                if (token.Length == 1 || !token.Skip(1).All(char.IsAsciiDigit)
                    || !int.TryParse(token.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out int number))
                    throw new UserInputException($"'{token}' is not a span's opening: a span opens with '[' and its slot number, then a space, as in '[1 boston ]'");
                if (open is { } outer)
                    throw new UserInputException($"'{token}' opens a span inside the span '[{outer.Number}' opened before word {outer.Start + 1}: spans cannot nest");
                if (!slots.TryGetValue(number, out string? slot))
                    throw new UserInputException($"slot number {number} of '{token}' is not in the slot map ({string.Join(", ", slots.Keys.Order())})");
                open = (words.Count, number, slot);
            }
            else if (token == "]")
            {
                if (open is not { } span) throw new UserInputException($"']' after word {words.Count} closes no span");
                if (span.Start == words.Count) throw new UserInputException($"the span '[{span.Number}' before word {words.Count + 1} is empty");
                spans.Add(new SlotSpan(span.Start, words.Count, span.Slot));
                open = null;
            }
            else if (token.Contains('[') || token.Contains(']'))
                throw new UserInputException($"'{token}' holds a bracket: brackets stand apart, as in '[1 boston ]', and a word cannot hold one");
            else words.Add(token);
        }
        if (open is { } unclosed)
            throw new UserInputException($"the span '[{unclosed.Number}' opened before word {unclosed.Start + 1} is never closed with ']'");
        if (words.Count == 0) throw new UserInputException("the utterance has no words");
        return new SlotAnnotation(words, spans);
    }

    /// <summary>Writes the bracket annotation, numbering each slot as <paramref name="slots"/> does.</summary>
    public string Format(IReadOnlyDictionary<int, string> slots)
    {
        var numbers = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (number, slot) in slots)
            if (!numbers.TryAdd(slot, number)) throw new ArgumentException($"the slot map gives {slot} two numbers");
        var text = new StringBuilder();
        int next = 0;
        for (int w = 0; w < words.Length; w++)
        {
            if (next < spans.Length && spans[next].Start == w)
                text.Append(CultureInfo.InvariantCulture, $"[{(numbers.TryGetValue(spans[next].Slot, out int n) ? n : throw new ArgumentException($"the slot map has no number for {spans[next].Slot}"))} ");
            text.Append(words[w]);
            if (next < spans.Length && spans[next].End == w + 1)
            {
                text.Append(" ]");
                next++;
            }
            if (w + 1 < words.Length) text.Append(' ');
        }
        return text.ToString();
    }

    /// <summary>One tag a word: <c>B-slot</c> on a span's first word, <c>I-slot</c> on the rest of it, <c>O</c> outside.</summary>
    public string[] ToBio()
    {
        var tags = Enumerable.Repeat("O", words.Length).ToArray();
        foreach (var span in spans)
            for (int w = span.Start; w < span.End; w++) tags[w] = (w == span.Start ? "B-" : "I-") + span.Slot;
        return tags;
    }

    /// <summary>
    /// Spans from one BIO tag a word, read as conlleval reads a tagger's output: an <c>I-slot</c> that does not continue
    /// a span of the same slot starts one.
    /// </summary>
    public static SlotAnnotation FromBio(IReadOnlyList<string> words, IReadOnlyList<string> tags)
    {
        if (tags.Count != words.Count) throw new ArgumentException($"{tags.Count} tags for {words.Count} words");
        var spans = new List<SlotSpan>();
        (int Start, string Slot)? open = null;
        for (int w = 0; w <= words.Count; w++)
        {
            string tag = w < words.Count ? tags[w] : "O";
            string? slot = tag == "O" ? null
                : tag.Length > 2 && tag[1] == '-' && tag[0] is 'B' or 'I' ? tag[2..]
                : throw new UserInputException($"tag '{tag}' of word {w + 1} is not O, B-slot or I-slot");
            bool continues = tag[0] == 'I' && open is { } current && current.Slot == slot;
            if (open is { } previous && !continues)
            {
                spans.Add(new SlotSpan(previous.Start, w, previous.Slot));
                open = null;
            }
            if (slot is not null && !continues) open = (w, slot);
        }
        return new SlotAnnotation(words, spans);
    }

    private static void CheckSlotName(string slot)
    {
        if (slot.Length == 0 || slot.Any(char.IsWhiteSpace))
            throw new ArgumentException($"'{slot}' cannot name a slot: slot names are non-empty, without whitespace");
    }
}
