using Ose.Agora.Text;
using Ose.Models;
using Ose.Models.Text;
using static TorchSharp.torch;

namespace Ose.Agora.Tests.Text;

/// <summary>A random-weight masked LM over a small vocabulary: near-uniform draws, so every rule shows in a few samples.</summary>
public sealed class TinyMaskedLm : IDisposable
{
    public static readonly string[] Special = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "[unused0]", "[unused1]"];
    public static readonly string[] Initial =
        ["the", "were", "very", "good", "today", "straw", "cake", "tea", "red", "blue", "sun", "moon", "cat", "dog", "run", "sat"];
    public static readonly string[] Continuation = ["##berries", "##s", "##ed", "##ing", "##ly", "##er"];

    private readonly TemporaryFolder folder = new();

    public TinyMaskedLm()
    {
        Vocabulary = folder.Sub("vocab.txt");
        string[] tokens = [.. Special, .. Initial, .. Continuation];
        File.WriteAllLines(Vocabulary, tokens);
        Tokenizer = WordPieceTokenizer.Load(Vocabulary);
        manual_seed(17);
        Model = new BertForMaskedLM(new EncoderConfig(D: 2, A: 2, H: 32, I: 64, V: tokens.Length, S: 32, T: 2, Pooler: false, Dropout: 0));
    }

    public string Vocabulary { get; }
    internal WordPieceTokenizer Tokenizer { get; }
    internal BertForMaskedLM Model { get; }

    internal MaskedLmSampler Sampler(double fraction, Func<string, WordView>? view = null, int maxLength = 32) =>
        new(Model, Tokenizer, Vocabulary, fraction, CPU, view, maxLength);

    public void Dispose()
    {
        Model.Dispose();
        folder.Dispose();
    }
}

public sealed class MaskedLmSamplerTests(TinyMaskedLm lm) : IClassFixture<TinyMaskedLm>
{
    // 6 words, 7 word pieces: "strawberries" is straw ##berries.
    private static readonly TextInput SeedPoint = new("the strawberries were very good today", "a second sentence");

    private static string[] Words(TextInput point) => point.Text.Split(' ');

    private static int[] ChangedWords(TextInput point) =>
        Words(SeedPoint).Zip(Words(point)).Select((p, i) => (p, i)).Where(x => x.p.First != x.p.Second).Select(x => x.i).ToArray();

    /// <summary>True when <paramref name="word"/> is one word-initial token followed by <paramref name="continuations"/> "##" pieces.</summary>
    private static bool IsWholeWord(string word, int continuations)
    {
        if (continuations == 0) return TinyMaskedLm.Initial.Contains(word);
        return TinyMaskedLm.Initial.Any(start => word.StartsWith(start, StringComparison.Ordinal)
            && TinyMaskedLm.Continuation.Any(c => IsContinuedBy(word[start.Length..], c[2..], continuations)));
    }

    private static bool IsContinuedBy(string rest, string piece, int continuations) =>
        rest.StartsWith(piece, StringComparison.Ordinal) && (continuations == 1
            ? rest.Length == piece.Length
            : TinyMaskedLm.Continuation.Any(c => IsContinuedBy(rest[piece.Length..], c[2..], continuations - 1)));

    [Fact]
    public void Each_point_resamples_at_most_the_rounded_share_of_words_into_whole_words_and_keeps_the_pair()
    {
        // 0.4 · 6 words = 2.4: the sampler masks Math.Round(2.4) = 2 words, so at most 2 differ (a draw may give back the word).
        var points = lm.Sampler(fraction: 0.4).Sample(SeedPoint, 8, seed: 11);

        Assert.NotEmpty(points);
        int[] piecesPerWord = Words(SeedPoint).Select(w => lm.Tokenizer.Encode(w).Length).ToArray();
        Assert.Equal([1, 2, 1, 1, 1, 1], piecesPerWord);
        foreach (var point in points)
        {
            Assert.Equal(SeedPoint.Pair, point.Pair);
            Assert.Equal(6, Words(point).Length);
            int[] changed = ChangedWords(point);
            Assert.InRange(changed.Length, 1, 2);
            foreach (int w in changed)
            {
                string word = Words(point)[w];
                Assert.DoesNotContain("##", word);
                Assert.True(IsWholeWord(word, piecesPerWord[w] - 1), $"'{word}' in place of '{Words(SeedPoint)[w]}' is not a whole word");
            }
        }
    }

    [Fact]
    public void A_tiny_fraction_still_resamples_exactly_one_word()
    {
        var points = lm.Sampler(fraction: 0.01).Sample(SeedPoint, 8, seed: 12);

        Assert.NotEmpty(points);
        Assert.All(points, p => Assert.Single(ChangedWords(p)));
    }

    [Fact]
    public void It_returns_the_requested_number_of_distinct_points_none_of_them_the_seed_point()
    {
        var points = lm.Sampler(fraction: 0.5).Sample(SeedPoint, 10, seed: 13);

        // 3 of 6 words drawn from 16 tokens: a repeat among 10 points is unlikely, and the seed fixes the draw.
        Assert.Equal(10, points.Count);
        Assert.Equal(points.Count, points.Distinct().Count());
        Assert.DoesNotContain(SeedPoint, points);
    }

    [Fact]
    public void Repeats_and_the_seed_point_itself_are_dropped()
    {
        // Word-initial tokens that may be drawn for the one word "sun" are 16, so 40 draws repeat some words and give back
        // "sun" itself; what is returned is the distinct other words only.
        var points = lm.Sampler(fraction: 1).Sample(new TextInput("sun", null), 40, seed: 14);

        Assert.InRange(points.Count, 1, TinyMaskedLm.Initial.Length - 1);
        Assert.Equal(points.Count, points.Distinct().Count());
        Assert.All(points, p => Assert.Contains(p.Text, TinyMaskedLm.Initial.Where(w => w != "sun")));
    }

    [Fact]
    public void Protected_words_never_change_and_the_fraction_counts_only_the_others()
    {
        // "strawberries" and "good" protected: 4 words left, 0.5 · 4 = 2 resampled.
        static WordView View(string text)
        {
            var words = text.Split(' ');
            return new WordView(words, words.Select(w => w is "strawberries" or "good").ToArray(), changed => string.Join(' ', changed));
        }
        var points = lm.Sampler(fraction: 0.5, View).Sample(SeedPoint, 10, seed: 15);
        var everything = lm.Sampler(fraction: 1, View).Sample(SeedPoint, 10, seed: 16);

        Assert.NotEmpty(points);
        Assert.NotEmpty(everything);
        Assert.All(points, p => Assert.InRange(ChangedWords(p).Length, 1, 2));
        Assert.All(points.Concat(everything), p =>
        {
            Assert.Equal("strawberries", Words(p)[1]);
            Assert.Equal("good", Words(p)[4]);
        });
    }

    [Fact]
    public void Only_words_whose_pieces_fit_the_window_are_resampled()
    {
        // A window of 6 holds [CLS], 4 pieces and [SEP]: "the straw ##berries were"; the last 3 words lie outside it.
        var points = lm.Sampler(fraction: 1, maxLength: 6).Sample(SeedPoint, 10, seed: 17);

        Assert.NotEmpty(points);
        Assert.All(points, p => Assert.All(ChangedWords(p), w => Assert.InRange(w, 0, 2)));
    }

    [Fact]
    public void With_every_word_protected_there_is_nothing_to_sample()
    {
        static WordView AllProtected(string text)
        {
            var words = text.Split(' ');
            return new WordView(words, words.Select(_ => true).ToArray(), changed => string.Join(' ', changed));
        }

        Assert.Empty(lm.Sampler(fraction: 1, AllProtected).Sample(SeedPoint, 5, seed: 18));
    }

    [Fact]
    public void The_same_seed_gives_the_same_points_and_another_seed_other_points()
    {
        var first = lm.Sampler(fraction: 0.5).Sample(SeedPoint, 6, seed: 19);
        var again = lm.Sampler(fraction: 0.5).Sample(SeedPoint, 6, seed: 19);
        var other = lm.Sampler(fraction: 0.5).Sample(SeedPoint, 6, seed: 20);

        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-0.5)]
    [InlineData(1.5)]
    public void A_fraction_outside_0_to_1_is_a_user_error(double fraction) =>
        Assert.Throws<UserInputException>(() => lm.Sampler(fraction));

    [Fact]
    public void A_vocabulary_of_another_size_than_the_masked_lm_is_a_user_error()
    {
        using var folder = new TemporaryFolder();
        string shorter = folder.Sub("vocab.txt");
        File.WriteAllLines(shorter, File.ReadAllLines(lm.Vocabulary).SkipLast(1));

        var error = Assert.Throws<UserInputException>(() =>
            new MaskedLmSampler(lm.Model, WordPieceTokenizer.Load(shorter), shorter, 0.5, CPU));
        Assert.Contains("masked LM was built for", error.Message);
    }
}
