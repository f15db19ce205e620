using Ose.Models.Text;

namespace Ose.Training;

/// <summary>
/// Sentences packed end to end into sequences of exactly L tokens, [CLS] … [SEP], as BERT's pretraining data
/// (Devlin et al. 2019, §A.2, without the next-sentence pairs RoBERTa and Bort dropped). A sentence that crosses
/// a boundary continues in the next sequence; only the last sequence may be padded.
/// </summary>
public static class PackedCorpus
{
    public static IReadOnlyList<long[]> Pack(IEnumerable<int[]> sentences, int length, SpecialTokens tokens)
    {
        if (length < 3) throw new UserInputException($"sequence length must be at least 3, got {length}");
        var sequences = new List<long[]>();
        var current = new List<long>(length) { tokens.Cls };
        foreach (int token in sentences.SelectMany(s => s))
        {
            current.Add(token);
            if (current.Count == length - 1)
            {
                current.Add(tokens.Sep);
                sequences.Add([.. current]);
                current = new List<long>(length) { tokens.Cls };
            }
        }
        if (current.Count > 1)
        {
            current.Add(tokens.Sep);
            while (current.Count < length) current.Add(tokens.Pad);
            sequences.Add([.. current]);
        }
        return sequences;
    }
}
