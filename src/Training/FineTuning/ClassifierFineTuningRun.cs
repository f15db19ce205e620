using System.Globalization;
using System.Text;
using Ose.IO;
using Ose.Models.Checkpoints;
using Ose.Models.Text;
using Ose.Models;
using Ose.Reporting;
using Ose.Tasks;
using static TorchSharp.torch;

namespace Ose.Training.FineTuning;

/// <summary>What one fine-tuning did: the best dev score, its step, and the test score of that step's weights.</summary>
public sealed record ClassifierFineTuningOutcome(double DevScore, int BestStep, double? TestScore, string ModelFolder);

/// <summary>
/// One classifier fine-tuned into an output folder (<c>ose finetune</c>, and a study's labeller): the best dev step is
/// kept and scored on test; writes <c>finetune.csv</c> (loss per step, dev score where evaluated) and <c>model/</c>
/// (a classifier folder).
/// </summary>
public static class ClassifierFineTuningRun
{
    public const string CurveFile = "finetune.csv";
    public const string ModelFolder = "model";

    public static ClassifierFineTuningOutcome Execute(TextTask task, IReadOnlyList<TextExample> train, BertModel pretrained,
        string vocabularyPath, HyperParameters θ, long seed, Device device, string outFolder,
        IProgress<FineTuningStep>? progress = null, CancellationToken cancellation = default)
    {
        θ.Validate();
        var tokenizer = WordPieceTokenizer.Load(vocabularyPath);
        var config = pretrained.Config;
        if (config.V != tokenizer.VocabularySize)
            throw new UserInputException($"the student has a vocabulary of {config.V} tokens, {vocabularyPath} has {tokenizer.VocabularySize}");
        var run = RunDirectory.Prepare(outFolder);

        var trainer = new TextClassifierTrainer(tokenizer, device);
        var curve = new StringBuilder("step,loss,dev\n");
        var recorded = new CurveRecorder(curve, progress);
        using var fineTuned = trainer.Train(config, pretrained.state_dict(), task.Labels.Count, train, task.Dev, task.Metric, θ, seed,
            recorded, cancellation);
        double? test = task.Test.Count > 0 ? trainer.Score(fineTuned.Model, task.Test, task.Metric, task.Labels.Count, θ.MaxLength) : null;
        CrashSafe.WriteText(run.File(CurveFile), curve.ToString());
        ClassifierFolder.Save(fineTuned.Model, config, task.Labels, vocabularyPath, new TrainingRecord(θ, seed), run.File(ModelFolder));
        return new ClassifierFineTuningOutcome(fineTuned.DevScore, fineTuned.BestStep, test, run.File(ModelFolder));
    }

    /// <summary>Appends each step to the curve, then passes it on.</summary>
    private sealed class CurveRecorder(StringBuilder curve, IProgress<FineTuningStep>? next) : IProgress<FineTuningStep>
    {
        public void Report(FineTuningStep step)
        {
            curve.Append(CultureInfo.InvariantCulture, $"{step.Step},{step.Loss:R},{step.DevScore?.ToString("R", CultureInfo.InvariantCulture)}\n");
            next?.Report(step);
        }
    }
}
