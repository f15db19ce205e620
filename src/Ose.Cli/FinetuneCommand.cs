using System.CommandLine;
using System.Globalization;
using Ose.Agora.Text;
using Ose.Models;
using Ose.Tasks.Data;
using Ose.Tasks;
using Ose.Training.FineTuning;

namespace Ose.Cli;

/// <summary>
/// <c>ose finetune</c>: a linear head on the first token of a pretrained student, every weight trained on a GLUE-style
/// task; the best dev step is kept and written as a classifier folder, then scored on test. A slot task (a folder with
/// slots.txt) trains a token tagger instead (<see cref="SlotFinetuning"/>).
/// </summary>
public static class FinetuneCommand
{
    internal static readonly Option<string> Model = new("--model") { Description = "pretrained student: an `ose pretrain` output or a student folder", Required = true };
    internal static readonly Option<string> Task = new("--task") { Description = "a prepared task (SENT, GENRE, SUPERSENSE, INTENT, SLOTS) or a task folder", Required = true };
    internal static readonly Option<int?> TrainSize = new("--train-size") { Description = "train on a seeded sample of this many training examples" };
    private static readonly Option<double> LearningRate = new("--lr") { DefaultValueFactory = _ => 1e-4 };
    private static readonly Option<int> Steps = new("--steps") { DefaultValueFactory = _ => 300 };
    private static readonly Option<int> Batch = new("--batch") { DefaultValueFactory = _ => 16 };
    private static readonly Option<int> EvaluateEvery = new("--eval-every") { Description = "steps between dev evaluations", DefaultValueFactory = _ => 25 };
    private static readonly Option<int> MaxLength = new("--max-length") { Description = "tokens per example", DefaultValueFactory = _ => 64 };
    private static readonly Option<string> Out = CommonOptions.Out(Path.Combine("runs", "finetune"));

    public static Command Create()
    {
        var command = new Command("finetune", "fine-tune a pretrained student on a classification or slot-tagging task; keep the best dev step");
        foreach (var option in new Option[] { Model, Task, TrainSize, LearningRate, Steps, Batch, EvaluateEvery, MaxLength, CommonOptions.Seed, CommonOptions.Device, Out, CommonOptions.Data })
            command.Add(option);
        command.SetAction((parse, cancellation) => System.Threading.Tasks.Task.FromResult(Run(parse, cancellation)));
        return command;
    }

    private static int Run(ParseResult parse, CancellationToken cancellation)
    {
        var θ = new HyperParameters(parse.GetValue(LearningRate), parse.GetValue(Steps), parse.GetValue(Batch),
            EvaluateEvery: parse.GetValue(EvaluateEvery), MaxLength: parse.GetValue(MaxLength));
        θ.Validate();
        long seed = parse.GetValue(CommonOptions.Seed);
        var data = DataDirectory.Resolve(parse.GetValue(CommonOptions.Data));
        string taskFolder = data.TaskFolder(parse.GetValue(Task)!);
        if (SlotTask.IsSlotTask(taskFolder))
            return SlotFinetuning.Run(SlotTask.Load(taskFolder), θ, seed, data, parse.GetValue(Model)!, parse.GetValue(TrainSize),
                Devices.Parse(parse.GetValue(CommonOptions.Device)!), parse.GetValue(Out)!, cancellation);
        var task = TextTask.Load(taskFolder);
        var train = parse.GetValue(TrainSize) is { } size ? AgoraComparison.Subset(task.Train, size, seed) : task.Train;
        var device = Devices.Parse(parse.GetValue(CommonOptions.Device)!);
        using var pretrained = TextSetup.LoadStudent(parse.GetValue(Model)!, device);
        var outcome = ProgressDisplay.Run<FineTuningStep, ClassifierFineTuningOutcome>(
            progress => ClassifierFineTuningRun.Execute(task, train, pretrained, data.Vocabulary, θ, seed, device, parse.GetValue(Out)!, progress, cancellation),
            step => new ProgressState(step.Step, step.Steps, string.Create(CultureInfo.InvariantCulture, $"step {step.Step}/{step.Steps} loss {step.Loss:F3}")));

        string metric = task.Metric.ToString().ToLowerInvariant();
        string testPart = outcome.TestScore is { } t ? string.Create(CultureInfo.InvariantCulture, $", test {metric} {t:F4}") : "";
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{task.Name} ({train.Count} training examples, {θ}): dev {metric} {outcome.DevScore:F4} at step {outcome.BestStep}{testPart}; wrote {outcome.ModelFolder}"));
        return 0;
    }
}
