namespace Ose.Models.Text;

/// <summary>
/// Words as a token tagger reads them: [CLS], the word pieces of each word in turn, [SEP], cut to a maximum length;
/// and where each word's first piece lies. The first piece carries the word's tag and the other pieces none, as in
/// BERT's NER experiments (Devlin et al. 2019, §5.3) and Hugging Face's token classification.
/// </summary>
public sealed record AlignedWords(int[] Ids, int[] FirstPieces)
{
    /// <summary>The target of a position that is no word's first piece: cross-entropy skips it.</summary>
    public const long IgnoreIndex = -100;

    /// <summary>
    /// <see cref="FirstPieces"/>[w] is the position of word w's first piece, or −1 when the word was cut off or has no
    /// pieces (the tagger then has nothing to say about it).
    /// </summary>
    public static AlignedWords Encode(WordPieceTokenizer tokenizer, IReadOnlyList<string> words, int maxLength)
    {
        var ids = new List<int> { tokenizer.Special.Cls };
        var first = new int[words.Count];
        Array.Fill(first, -1);
        for (int w = 0; w < words.Count; w++)
        {
            var pieces = tokenizer.Encode(words[w]);
            if (ids.Count + pieces.Length > maxLength - 1) break;   // this word and the rest are cut off
            if (pieces.Length > 0) first[w] = ids.Count;
            ids.AddRange(pieces);
        }
        ids.Add(tokenizer.Special.Sep);
        return new AlignedWords([.. ids], first);
    }

    /// <summary>Training targets a position: word w's tag at its first piece, <see cref="IgnoreIndex"/> elsewhere.</summary>
    public long[] Targets(IReadOnlyList<int> tags)
    {
        if (tags.Count != FirstPieces.Length) throw new ArgumentException($"{tags.Count} tags for {FirstPieces.Length} words");
        var targets = Enumerable.Repeat(IgnoreIndex, Ids.Length).ToArray();
        for (int w = 0; w < FirstPieces.Length; w++)
            if (FirstPieces[w] >= 0) targets[FirstPieces[w]] = tags[w];
        return targets;
    }
}
