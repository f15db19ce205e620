using Microsoft.ML.Tokenizers;

namespace Ose.Models.Text;

/// <summary>
/// bert-base-uncased WordPiece (Microsoft.ML.Tokenizers' BertTokenizer): lower-cased, accents stripped, so
/// "i like strawberries" is [CLS] 1045 2066 13137 20968 [SEP] = 101 1045 2066 13137 20968 102.
/// </summary>
public sealed class WordPieceTokenizer
{
    private readonly BertTokenizer tokenizer;

    private WordPieceTokenizer(BertTokenizer tokenizer, int vocabularySize)
    {
        this.tokenizer = tokenizer;
        Special = new SpecialTokens(tokenizer.PaddingTokenId, tokenizer.ClassificationTokenId, tokenizer.SeparatorTokenId,
            tokenizer.MaskingTokenId, vocabularySize);
    }

    public SpecialTokens Special { get; }

    public int VocabularySize => Special.VocabularySize;

    public static WordPieceTokenizer Load(string vocabularyPath)
    {
        if (!File.Exists(vocabularyPath))
            throw new UserInputException($"vocabulary not found: {vocabularyPath}; run `ose data prepare` first");
        int size = File.ReadLines(vocabularyPath).Count();
        var options = new BertOptions { LowerCaseBeforeTokenization = true, RemoveNonSpacingMarks = true };
        return new WordPieceTokenizer(BertTokenizer.Create(vocabularyPath, options), size);
    }

    /// <summary>Word pieces of a text, without [CLS]/[SEP].</summary>
    public int[] Encode(string text) => [.. tokenizer.EncodeToIds(text, addSpecialTokens: false)];

    /// <summary>[CLS] a [SEP] (b [SEP]), cut to at most <paramref name="maxLength"/> by trimming the longer text first.</summary>
    public (int[] Ids, int[] TokenTypes) EncodeForClassification(string a, string? b, int maxLength)
    {
        var first = Encode(a).ToList();
        var second = b is null ? null : Encode(b).ToList();
        int room = maxLength - (second is null ? 2 : 3);
        while (first.Count + (second?.Count ?? 0) > room)
        {
            if (second is not null && second.Count > first.Count) second.RemoveAt(second.Count - 1);
            else first.RemoveAt(first.Count - 1);
        }
        var ids = new List<int> { Special.Cls };
        ids.AddRange(first);
        ids.Add(Special.Sep);
        var types = Enumerable.Repeat(0, ids.Count).ToList();
        if (second is not null)
        {
            ids.AddRange(second);
            ids.Add(Special.Sep);
            types.AddRange(Enumerable.Repeat(1, second.Count + 1));
        }
        return ([.. ids], [.. types]);
    }

    public string Decode(IEnumerable<int> ids) => tokenizer.Decode(ids) ?? "";
}
