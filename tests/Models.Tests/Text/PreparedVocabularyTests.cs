using Ose.Models.Text;
using Ose.Tasks.Data;

namespace Ose.Models.Tests.Text;

[Trait("Category", "PreparedData")]
public sealed class PreparedVocabularyTests
{
    private static readonly DataDirectory Data = DataDirectory.Resolve(null);

    [PreparedDataFact]
    public void The_vocabulary_reproduces_bert_base_uncased_ids()
    {
        var tokenizer = WordPieceTokenizer.Load(Data.Vocabulary);
        var (ids, types) = tokenizer.EncodeForClassification("i like strawberries", null, 128);

        Assert.Equal(30522, tokenizer.VocabularySize);
        Assert.Equal([101, 1045, 2066, 13137, 20968, 102], ids);
        Assert.All(types, t => Assert.Equal(0, t));
        Assert.Equal((0, 101, 102, 103), (tokenizer.Special.Pad, tokenizer.Special.Cls, tokenizer.Special.Sep, tokenizer.Special.Mask));
    }
}
