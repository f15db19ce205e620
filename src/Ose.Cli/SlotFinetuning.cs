using System.Globalization;
using System.Text;
using Ose.Agora.Text;
using Ose.IO;
using Ose.Models.Checkpoints;
using Ose.Models.Text;
using Ose.Reporting;
using Ose.Tasks.Data;
using Ose.Tasks;
using Ose.Training.FineTuning;
using static TorchSharp.torch;

namespace Ose.Cli;

/// <summary>
/// <c>ose finetune</c> on a slot task (<see cref="SlotTask"/>): a token tagger on a pretrained student, every weight
/// trained; the step of best dev span F1 is kept, written as a tagger folder, then scored on test.
/// </summary>
static class SlotFinetuning
{
    public static int Run(SlotTask task, HyperParameters θ, long seed, DataDirectory data, string modelPath, int? trainSize,
        Device device, string outPath, CancellationToken cancellation)
    {
        var train = task.Train.Select(e => e.Utterance).ToArray();
        if (trainSize is { } size) train = AgoraComparison.Subset(train, size, seed);
        var tokenizer = WordPieceTokenizer.Load(data.Vocabulary);
        var run = RunDirectory.Prepare(outPath);
        using var pretrained = PretrainedModel.Load(modelPath, data, device);
        var config = pretrained.Encoder.Config;
        if (config.V != tokenizer.VocabularySize)
            throw new UserInputException($"the student has a vocabulary of {config.V} tokens, {data.Vocabulary} has {tokenizer.VocabularySize}");

        var trainer = new SlotTaggerTrainer(tokenizer, device);
        var dev = task.Dev.Select(e => e.Utterance).ToArray();
        var curve = new StringBuilder("step,loss,dev_span_f1\n");
        using var tagger = ProgressDisplay.Run<FineTuningStep, FineTunedTagger>(
            progress => trainer.Train(config, pretrained.Encoder.state_dict(), task.Tags, train, dev, θ, seed,
                new SyncProgress<FineTuningStep>(step =>
                {
                    curve.Append(CultureInfo.InvariantCulture, $"{step.Step},{step.Loss:R},{step.DevScore?.ToString("R", CultureInfo.InvariantCulture)}\n");
                    progress.Report(step);
                }), cancellation),
            step => new ProgressState(step.Step, step.Steps, string.Create(CultureInfo.InvariantCulture, $"step {step.Step}/{step.Steps} loss {step.Loss:F3}")));

        var test = task.Test.Count > 0 ? trainer.Score(tagger.Model, task.Tags, task.Test.Select(e => e.Utterance).ToArray(), θ.MaxLength) : null;
        CrashSafe.WriteText(run.File("finetune.csv"), curve.ToString());
        TaggerFolder.Save(tagger.Model, config, task.Tags, data.Vocabulary, new TrainingRecord(θ, seed), run.File("model"));
        static string Scores(SpanScore s) => string.Create(CultureInfo.InvariantCulture, $"span F1 {s.F1:F4} (P {s.Precision:F4}, R {s.Recall:F4})");
        string testPart = test is null ? "" : $", test {Scores(test)}";
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{task.Name} ({train.Length} training utterances, {task.Slots.Count} slots, {θ}): dev {Scores(tagger.DevScore)} at step {tagger.BestStep}{testPart}; wrote {run.File("model")}"));
        return 0;
    }
}
