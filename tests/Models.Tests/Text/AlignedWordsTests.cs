using Ose.Models.Text;

namespace Ose.Models.Tests.Text;

public sealed class AlignedWordsTests : IDisposable
{
    private readonly string vocabulary = Path.Combine(Path.GetTempPath(), $"ose-vocab-{Guid.NewGuid():N}.txt");

    // [PAD] 0, [UNK] 1, [CLS] 2, [SEP] 3, [MASK] 4, from 5, ber 6, ##lin 7, to 8, paris 9, ? 10
    public AlignedWordsTests() =>
        File.WriteAllLines(vocabulary, ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "from", "ber", "##lin", "to", "paris", "?"]);

    public void Dispose() => File.Delete(vocabulary);

    [Fact]
    public void Each_word_is_tagged_on_its_first_piece_and_every_other_position_is_ignored()
    {
        var aligned = AlignedWords.Encode(WordPieceTokenizer.Load(vocabulary), ["from", "Berlin", "to", "paris?"], 16);

        Assert.Equal([2, 5, 6, 7, 8, 9, 10, 3], aligned.Ids);
        Assert.Equal([1, 2, 4, 5], aligned.FirstPieces);
        Assert.Equal([-100, 0, 1, -100, 0, 3, -100, -100], aligned.Targets([0, 1, 0, 3]));
    }

    [Fact]
    public void Words_that_do_not_fit_whole_are_cut_off_with_all_that_follow()
    {
        var tokenizer = WordPieceTokenizer.Load(vocabulary);
        var aligned = AlignedWords.Encode(tokenizer, ["from", "berlin", "to"], 4);

        Assert.Equal([2, 5, 3], aligned.Ids);
        Assert.Equal([1, -1, -1], aligned.FirstPieces);
        Assert.Equal([-100, 7, -100], aligned.Targets([7, 8, 9]));
        Assert.Equal([2, 5, 6, 7, 3], AlignedWords.Encode(tokenizer, ["from", "berlin", "to"], 5).Ids);
    }
}
