using Ose.Models.Text;
using Ose.Tasks;

namespace Ose.Testing;

/// <summary>
/// A separable toy task: two to four neutral words with one sentiment word among them, label 1 for a positive word and
/// 0 for a negative one. Sentences are at most 5 words, so they fit the tiny model's 16 positions.
/// </summary>
static class ToySentiment
{
    private static readonly string[] Neutral = ["the", "a", "film", "movie", "plot", "was", "is", "very", "really", "acting", "story", "this"];
    private static readonly string[] Positive = ["good", "great", "nice", "fine", "superb"];
    private static readonly string[] Negative = ["bad", "awful", "poor", "dull", "weak"];

    /// <summary>Writes the task's vocabulary to <paramref name="path"/> and returns the tokenizer and the vocabulary size.</summary>
    public static (WordPieceTokenizer Tokenizer, int VocabularySize) Vocabulary(string path)
    {
        int size = Tiny.WriteVocabulary(path, [.. Neutral, .. Positive, .. Negative]);
        return (WordPieceTokenizer.Load(path), size);
    }

    public static TextExample[] Examples(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ =>
        {
            int label = random.Next(2);
            var words = Enumerable.Range(0, random.Next(2, 5)).Select(_ => Neutral[random.Next(Neutral.Length)]).ToList();
            var sentiment = label == 1 ? Positive : Negative;
            words.Insert(random.Next(words.Count + 1), sentiment[random.Next(sentiment.Length)]);
            return new TextExample(string.Join(' ', words), null, label);
        }).ToArray();
    }
}
