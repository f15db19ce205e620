using Ose.Models.Text;

namespace Ose.Training.Tests;

public sealed class PackedCorpusTests
{
    private static readonly SpecialTokens Tokens = new(Pad: 0, Cls: 1, Sep: 2, Mask: 3, VocabularySize: 100);

    [Fact]
    public void Sentences_are_packed_end_to_end_between_cls_and_sep_and_only_the_last_sequence_is_padded()
    {
        int[][] sentences = [[10, 11, 12], [13, 14], [15, 16, 17, 18]];
        var packed = PackedCorpus.Pack(sentences, 6, Tokens);

        Assert.Equal([[1, 10, 11, 12, 13, 2], [1, 14, 15, 16, 17, 2], [1, 18, 2, 0, 0, 0]], packed);
    }

    [Fact]
    public void Every_token_appears_once_in_order()
    {
        var random = new Random(1);
        var sentences = Enumerable.Range(0, 50).Select(_ => Enumerable.Range(0, random.Next(1, 20)).Select(_ => random.Next(4, 100)).ToArray()).ToArray();
        var packed = PackedCorpus.Pack(sentences, 16, Tokens);

        Assert.All(packed, s => Assert.Equal(16, s.Length));
        Assert.Equal(sentences.SelectMany(s => s).Select(t => (long)t), packed.SelectMany(s => s).Where(t => t > 3));
    }
}
