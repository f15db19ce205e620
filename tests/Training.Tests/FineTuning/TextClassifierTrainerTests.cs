using System.Globalization;
using Ose.Models.Text;
using Ose.Models;
using Ose.Tasks;
using Ose.Training.FineTuning;
using static TorchSharp.torch;

namespace Ose.Training.Tests;

/// <summary>The toy sentiment task, its tokenizer, and one fine-tuning run on it (seed 7) with every step's report.</summary>
public sealed class ToySentimentRun : IDisposable
{
    private readonly string vocabulary = Path.Combine(Path.GetTempPath(), $"ose-toy-vocab-{Guid.NewGuid():N}.txt");

    public ToySentimentRun()
    {
        (Tokenizer, int size) = ToySentiment.Vocabulary(vocabulary);
        Config = Tiny.Config(V: size, dropout: 0.1);
        Trainer = new TextClassifierTrainer(Tokenizer, CPU);
        Reports = [];
        Result = Train(Trainer, Dev, seed: 7, new SynchronousProgress(Reports.Add));
    }

    public static readonly TextExample[] TrainSplit = ToySentiment.Examples(64, seed: 1);
    public static readonly TextExample[] Dev = ToySentiment.Examples(32, seed: 2);

    // Evaluated at steps 10, 20, ..., 100.
    public static readonly HyperParameters Options = new(LearningRate: 3e-3, Steps: 100, BatchSize: 16, EvaluateEvery: 10, MaxLength: 16);

    internal WordPieceTokenizer Tokenizer { get; }
    internal EncoderConfig Config { get; }
    internal TextClassifierTrainer Trainer { get; }
    internal List<FineTuningStep> Reports { get; }
    internal FineTuned Result { get; }

    internal FineTuned Train(TextClassifierTrainer trainer, IReadOnlyList<TextExample> dev, long seed, IProgress<FineTuningStep>? progress = null) =>
        trainer.Train(Config, encoder: null, classes: 2, TrainSplit, dev, TaskMetric.Accuracy, Options, seed, progress);

    public void Dispose()
    {
        Result.Dispose();
        File.Delete(vocabulary);
    }
}

/// <summary>Reports on the caller's thread, as training runs (<see cref="Progress{T}"/> would post elsewhere).</summary>
sealed class SynchronousProgress(Action<FineTuningStep> report) : IProgress<FineTuningStep>
{
    public void Report(FineTuningStep value) => report(value);
}

public sealed class TextClassifierTrainerTests(ToySentimentRun run) : IClassFixture<ToySentimentRun>
{
    private static string Scores(IEnumerable<FineTuningStep> reports) => string.Join(", ", reports.Where(r => r.DevScore is not null)
        .Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.Step}: {r.DevScore:F3}")));

    [Fact]
    public void A_tiny_bert_fine_tuned_on_a_separable_toy_task_scores_far_above_chance_on_dev()
    {
        Assert.True(run.Result.DevScore >= 0.9, $"dev accuracy by step: {Scores(run.Reports)}");
        Assert.Equal(ToySentimentRun.Options.Steps, run.Result.StepsTrained);
    }

    [Fact]
    public void The_best_step_is_an_evaluation_step_and_the_returned_model_scores_its_dev_score()
    {
        var evaluated = run.Reports.Where(r => r.DevScore is not null).ToArray();
        Assert.Equal(Enumerable.Range(1, 10).Select(k => 10 * k), evaluated.Select(r => r.Step));
        Assert.Contains(run.Result.BestStep, evaluated.Select(r => r.Step));
        // The best is the first step to reach the highest score.
        double best = evaluated.Max(r => r.DevScore!.Value);
        Assert.Equal(best, run.Result.DevScore);
        Assert.Equal(evaluated.First(r => r.DevScore == best).Step, run.Result.BestStep);

        double rescored = run.Trainer.Score(run.Result.Model, ToySentimentRun.Dev, TaskMetric.Accuracy, 2, ToySentimentRun.Options.MaxLength);
        Assert.Equal(run.Result.DevScore, rescored);
    }

    [Fact]
    public void When_dev_turns_against_training_the_best_early_step_is_restored_rather_than_the_last()
    {
        // Dev labels flipped: the more the model learns, the lower it scores on dev, so the best step comes early.
        var flipped = ToySentimentRun.Dev.Select(e => e with { Label = 1 - e.Label }).ToArray();
        var reports = new List<FineTuningStep>();
        using var result = run.Train(run.Trainer, flipped, seed: 7, new SynchronousProgress(reports.Add));

        double last = reports[^1].DevScore!.Value;
        Assert.True(result.BestStep < ToySentimentRun.Options.Steps && last < result.DevScore,
            $"best step {result.BestStep}; dev accuracy by step: {Scores(reports)}");
        double rescored = run.Trainer.Score(result.Model, flipped, TaskMetric.Accuracy, 2, ToySentimentRun.Options.MaxLength);
        Assert.Equal(result.DevScore, rescored);
    }

    [Fact]
    public void The_same_seed_gives_the_same_run_and_another_seed_another_run()
    {
        using var again = run.Train(new TextClassifierTrainer(run.Tokenizer, CPU), ToySentimentRun.Dev, seed: 7);
        using var other = run.Train(run.Trainer, ToySentimentRun.Dev, seed: 8);

        int maxLength = ToySentimentRun.Options.MaxLength;
        var first = run.Trainer.Predict(run.Result.Model, ToySentimentRun.Dev, maxLength);
        Assert.Equal(run.Result.DevScore, again.DevScore);
        Assert.Equal(run.Result.BestStep, again.BestStep);
        Assert.Equal(first, run.Trainer.Predict(again.Model, ToySentimentRun.Dev, maxLength));
        Assert.NotEqual(first.Select(p => p.Confidence), run.Trainer.Predict(other.Model, ToySentimentRun.Dev, maxLength).Select(p => p.Confidence));
    }

    [Fact]
    public void An_empty_training_split_is_a_user_error() =>
        Assert.Throws<UserInputException>(() => run.Trainer.Train(run.Config, null, 2, [], ToySentimentRun.Dev, TaskMetric.Accuracy,
            ToySentimentRun.Options, seed: 1));
}
