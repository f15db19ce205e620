using Ose.Agora.Text;
using Ose.Models;
using Ose.Models.Text;
using static TorchSharp.torch;

namespace Ose.Agora.Tests.Text;

public sealed class MaskedLmSamplerTests : IDisposable
{
    private static readonly string[] Vocabulary =
        ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "[unused0]", "the", "film", "was", "really", "good", "and", "plot", "a", "book",
         "bad", "nice", "great", "##s", "##ly", "very"];

    private const string Sentence = "the film was really good and the plot";   // 8 words, one piece each

    private readonly string vocabulary = Path.Combine(Path.GetTempPath(), $"ose-vocab-{Guid.NewGuid():N}.txt");

    public MaskedLmSamplerTests() => File.WriteAllLines(vocabulary, Vocabulary);

    public void Dispose() => File.Delete(vocabulary);

    private MaskedLmSampler Sampler(double fraction)
    {
        manual_seed(2);
        var model = new BertForMaskedLM(new EncoderConfig(D: 1, A: 2, H: 16, I: 32, V: Vocabulary.Length, S: 32, T: 2, Pooler: false, Dropout: 0));
        return new MaskedLmSampler(model, WordPieceTokenizer.Load(vocabulary), vocabulary, fraction, CPU, maxLength: 32);
    }

    [Fact]
    public void Each_point_changes_at_most_the_fraction_of_words_and_draws_only_whole_ordinary_words()
    {
        var points = Sampler(0.25).Sample(new TextInput(Sentence, null), 30, seed: 4);
        string[] seed = Sentence.Split(' ');

        Assert.InRange(points.Count, 1, 30);
        Assert.All(points, point =>
        {
            string[] words = point.Text.Split(' ');
            Assert.Equal(seed.Length, words.Length);
            Assert.InRange(words.Zip(seed).Count(w => w.First != w.Second), 0, 2);   // round(0.25 · 8) = 2 resampled words
            Assert.All(words, w => Assert.False(w.StartsWith("##") || w.StartsWith('['), $"drew '{w}' in '{point.Text}'"));
        });
        Assert.Contains(points, p => p.Text != Sentence);
    }

    [Fact]
    public void The_same_seed_draws_the_same_points_and_another_seed_other_points()
    {
        var sampler = Sampler(0.5);
        var input = new TextInput(Sentence, null);

        Assert.Equal(sampler.Sample(input, 10, seed: 7), sampler.Sample(input, 10, seed: 7));
        Assert.NotEqual(sampler.Sample(input, 10, seed: 7), sampler.Sample(input, 10, seed: 8));
    }

    [Fact]
    public void Only_the_first_sentence_of_a_pair_is_resampled()
    {
        var points = Sampler(1.0).Sample(new TextInput(Sentence, "a good book"), 10, seed: 1);

        Assert.NotEmpty(points);
        Assert.All(points, p => Assert.Equal("a good book", p.Pair));
    }

    [Fact]
    public void A_fraction_outside_zero_to_one_is_a_user_error()
    {
        Assert.Throws<UserInputException>(() => Sampler(0));
        Assert.Throws<UserInputException>(() => Sampler(1.5));
    }
}
