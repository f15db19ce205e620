using Ose.Models.Text;

namespace Ose.Models.Tests.Text;

public sealed class WordPieceTokenizerTests : IDisposable
{
    private readonly string vocabulary = Path.Combine(Path.GetTempPath(), $"ose-vocab-{Guid.NewGuid():N}.txt");

    public WordPieceTokenizerTests() =>
        File.WriteAllLines(vocabulary, ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "i", "like", "straw", "##berries", "cafe", "."]);

    public void Dispose() => File.Delete(vocabulary);

    [Fact]
    public void Words_split_into_word_pieces_lower_cased_and_without_accents()
    {
        var tokenizer = WordPieceTokenizer.Load(vocabulary);
        Assert.Equal([5, 6, 7, 8, 9], tokenizer.Encode("I like strawberries Café"));
        Assert.Equal(11, tokenizer.VocabularySize);
    }

    [Fact]
    public void A_pair_gets_cls_and_two_seps_with_segment_ids_and_is_cut_longest_first()
    {
        var tokenizer = WordPieceTokenizer.Load(vocabulary);
        var (ids, types) = tokenizer.EncodeForClassification("i like", "strawberries strawberries .", 7);

        Assert.Equal([2, 5, 6, 3, 7, 8, 3], ids);
        Assert.Equal([0, 0, 0, 0, 1, 1, 1], types);
    }

    [Fact]
    public void A_missing_vocabulary_names_the_command_that_prepares_it()
    {
        var error = Assert.Throws<UserInputException>(() => WordPieceTokenizer.Load(vocabulary + ".missing"));
        Assert.Contains("ose data prepare", error.Message);
    }
}
