using Ose.Models.Data;
using Ose.Models.Text;
using Xunit;

namespace Ose.Models.Tests.Data;

[Trait("Category", "PreparedData")]
public sealed class PreparedDataTests
{
    private static readonly DataDirectory Data = DataDirectory.Resolve(null);

    private static int Rows(string task, string split) => File.ReadLines(Path.Combine(Data.Task(task), split + ".tsv")).Count() - 1;

    private static int AllRows(string task) => Rows(task, "train") + Rows(task, "dev") + Rows(task, "test");

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

    [PreparedDataFact]
    public void Every_source_is_complete()
    {
        Assert.Equal(1000, AllRows("SENT"));
        Assert.Equal(57340, AllRows("GENRE"));
        Assert.Equal(206, AllRows("INTENT"));
        Assert.Equal(117659, AllRows("SUPERSENSE"));
        Assert.Equal(45, File.ReadLines(Path.Combine(Data.Task("SUPERSENSE"), "labels.txt")).Count());
        Assert.Equal(15, File.ReadLines(Path.Combine(Data.Task("GENRE"), "labels.txt")).Count());
        Assert.Equal(57340 + 117659, File.ReadLines(Data.CorpusTrain).Count() + File.ReadLines(Data.CorpusDev).Count());
    }
}
