using System.CommandLine;
using System.Globalization;
using Ose.Tasks.Data;
using Ose.Models.Sources;
using Ose.Training;
using Ose.Training.Sources;

namespace Ose.Cli;

/// <summary>
/// <c>ose train-head</c>: a masked-LM head (cls.predictions) trained over a frozen source without one, saved beside it.
/// Checkpoints every K steps; run it again and it resumes.
/// </summary>
public static class TrainHeadCommand
{
    private static readonly Option<string> SourceOption = new("--source") { Description = "a source with weights and no masked-LM head: minilm, an ONNX file or a Hugging Face folder", Required = true };
    private static readonly Option<int> Steps = new("--steps") { Description = "optimizer steps", DefaultValueFactory = _ => 600 };
    private static readonly Option<int> Batch = new("--batch") { Description = "sequences per step", DefaultValueFactory = _ => 32 };
    private static readonly Option<int> Sequence = new("--seq") { Description = "tokens per sequence", DefaultValueFactory = _ => 64 };
    private static readonly Option<double> LearningRate = new("--lr") { Description = "peak learning rate (AdamW)", DefaultValueFactory = _ => 1e-3 };
    private static readonly Option<string> Work = new("--work") { Description = "checkpoint folder; running again resumes", DefaultValueFactory = _ => Path.Combine("runs", "train-head") };

    public static Command Create()
    {
        var command = new Command("train-head", "train a masked-LM head over a frozen source that has none, and save it beside the source");
        foreach (var option in new Option[] { SourceOption, Steps, Batch, Sequence, LearningRate, Work, CommonOptions.Seed, CommonOptions.Data })
            command.Add(option);
        command.SetAction((parse, cancellation) =>
        {
            var data = DataDirectory.Resolve(parse.GetValue(CommonOptions.Data));
            var source = WeightedSource.Resolve(parse.GetValue(SourceOption)!, data);
            var θ = new HyperParameters(parse.GetValue(LearningRate), parse.GetValue(Steps), parse.GetValue(Batch), parse.GetValue(Sequence));
            θ.Validate();
            var outcome = ProgressDisplay.Run<TrainingStep, HeadTrainingOutcome>(
                progress => MaskedLmHeadTraining.Train(source, data, θ, parse.GetValue(CommonOptions.Seed), parse.GetValue(Work)!, MaskedLmHeadTraining.HeadPath(source), progress, cancellation),
                step => new ProgressState(step.Step, step.Steps, string.Create(CultureInfo.InvariantCulture,
                    $"step {step.Step}/{step.Steps} loss {step.Loss:F3} {step.TokensPerSecond:F0} tok/s")));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{source.Name}: held-out masked-LM loss {outcome.DevLossBefore:F3} → {outcome.DevLossAfter:F3} nats after {outcome.Steps} steps over the frozen source; wrote {outcome.HeadFile}"));
            return Task.FromResult(0);
        });
        return command;
    }
}
