using Ose.Models.FineTuning;
using Ose.Models.Text;
using Xunit;
using static TorchSharp.torch;

namespace Ose.Models.Tests.FineTuning;

/// <summary>
/// A toy sentiment task a tiny classifier learns in seconds: a sentence is positive when it holds a positive word
/// (good, great, nice) and negative when it holds a negative one (bad, awful, poor), among neutral filler words.
/// </summary>
public sealed class TextClassifierTrainerTests : IDisposable
{
    internal static readonly string[] Vocabulary =
        ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "the", "film", "was", "a", "book", "really", "plot", "and",
         "good", "great", "nice", "bad", "awful", "poor"];

    private static readonly string[] Filler = ["the", "film", "was", "a", "book", "really", "plot", "and"];
    private static readonly string[] Positive = ["good", "great", "nice"], Negative = ["bad", "awful", "poor"];
    private const int MaxLength = 16;

    private readonly string vocabulary = Path.Combine(Path.GetTempPath(), $"ose-vocab-{Guid.NewGuid():N}.txt");

    public TextClassifierTrainerTests() => File.WriteAllLines(vocabulary, Vocabulary);

    public void Dispose() => File.Delete(vocabulary);

    internal static TextExample[] Sentences(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ =>
        {
            int label = random.Next(2);
            var words = Enumerable.Range(0, random.Next(3, 8)).Select(_ => Filler[random.Next(Filler.Length)]).ToList();
            var sentiment = label == 1 ? Positive : Negative;
            words.Insert(random.Next(words.Count + 1), sentiment[random.Next(sentiment.Length)]);
            return new TextExample(string.Join(' ', words), null, label);
        }).ToArray();
    }

    private static readonly FineTuningOptions Θ = new(LearningRate: 3e-3, Steps: 120, BatchSize: 16, EvaluateEvery: 20, MaxLength: MaxLength);

    [Fact]
    public void A_tiny_classifier_learns_a_toy_sentiment_task_and_returns_its_best_dev_step()
    {
        var trainer = new TextClassifierTrainer(WordPieceTokenizer.Load(vocabulary), CPU);
        var dev = Sentences(60, seed: 2);

        using var tuned = trainer.Train(Tiny.Config(V: Vocabulary.Length), null, 2, Sentences(200, seed: 1), dev, TaskMetric.Accuracy, Θ, seed: 3);

        Assert.True(tuned.DevScore >= 0.9, $"dev accuracy {tuned.DevScore}");
        Assert.Equal(0, tuned.BestStep % Θ.EvaluateEvery);
        Assert.Equal(120, tuned.StepsTrained);
        // The returned model is the best-dev checkpoint, not the last step's.
        Assert.Equal(tuned.DevScore, trainer.Score(tuned.Model, dev, TaskMetric.Accuracy, 2, MaxLength));
        var held = Sentences(60, seed: 9);
        Assert.True(trainer.Score(tuned.Model, held, TaskMetric.Accuracy, 2, MaxLength) >= 0.85);
    }

    [Fact]
    public void The_same_seed_gives_the_same_dev_score_step_and_predictions_and_another_seed_does_not()
    {
        var trainer = new TextClassifierTrainer(WordPieceTokenizer.Load(vocabulary), CPU);
        var train = Sentences(100, seed: 1);
        var dev = Sentences(40, seed: 2);
        var θ = Θ with { Steps = 40, LearningRate = 1e-3 };

        (double, int, (int, double)[]) Run(long seed)
        {
            using var tuned = trainer.Train(Tiny.Config(V: Vocabulary.Length), null, 2, train, dev, TaskMetric.Accuracy, θ, seed);
            return (tuned.DevScore, tuned.BestStep, trainer.Predict(tuned.Model, dev, MaxLength));
        }

        var first = Run(4);
        var again = Run(4);
        Assert.Equal(first.Item1, again.Item1);
        Assert.Equal(first.Item2, again.Item2);
        Assert.Equal(first.Item3, again.Item3);
        Assert.NotEqual(first.Item3.Select(p => p.Item2), Run(5).Item3.Select(p => p.Item2));
    }

    [Fact]
    public void Predictions_carry_the_probability_of_the_predicted_label()
    {
        var trainer = new TextClassifierTrainer(WordPieceTokenizer.Load(vocabulary), CPU);
        manual_seed(6);
        using var model = new BertForSequenceClassification(Tiny.Config(V: Vocabulary.Length), 3);
        foreach (var (label, confidence) in trainer.Predict(model, Sentences(10, seed: 3), MaxLength))
        {
            Assert.InRange(label, 0, 2);
            Assert.InRange(confidence, 1.0 / 3, 1.0);   // the arg-max of 3 probabilities is at least 1/3
        }
    }

    [Fact]
    public void An_empty_training_split_is_a_user_error()
    {
        var trainer = new TextClassifierTrainer(WordPieceTokenizer.Load(vocabulary), CPU);
        Assert.Throws<UserInputException>(() =>
            trainer.Train(Tiny.Config(V: Vocabulary.Length), null, 2, [], Sentences(4, seed: 2), TaskMetric.Accuracy, Θ, seed: 0));
    }
}
