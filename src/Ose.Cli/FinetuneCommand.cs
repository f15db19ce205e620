using System.CommandLine;
using System.Globalization;
using Ose.Training;
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
    internal static readonly Option<string> Model = new("--model") { Description = "what to fine-tune: an `ose pretrain` output, a model folder (`ose extract`), an ONNX file or a source with weights (minilm)", Required = true };
    internal static readonly Option<string> Task = new("--task") { Description = "a prepared task (SENT, GENRE, SUPERSENSE, INTENT, SLOTS) or a task folder", Required = true };
    internal static readonly Option<int?> TrainSize = new Option<int?>("--train-size") { Description = "train on a seeded sample of this many training examples" }.AtLeast(1);
    private static readonly Option<double> LearningRate = new Option<double>("--lr") { DefaultValueFactory = _ => 1e-4 }.Positive();
    private static readonly Option<int> Steps = new Option<int>("--steps") { DefaultValueFactory = _ => 300 }.AtLeast(1);
    private static readonly Option<int> Batch = new Option<int>("--batch") { DefaultValueFactory = _ => 16 }.AtLeast(1);
    private static readonly Option<int> EvaluateEvery = new Option<int>("--eval-every") { Description = "steps between dev evaluations", DefaultValueFactory = _ => 25 }.AtLeast(1);
    private static readonly Option<int> MaxLength = new Option<int>("--max-length") { Description = "tokens per example", DefaultValueFactory = _ => 64 }.AtLeast(4);
    private static readonly Option<string> Out = CommonOptions.Out(Path.Combine("runs", "finetune"));

    public static Command Create()
    {
        var command = new Command("finetune", "fine-tune a pretrained student on a classification or slot-tagging task; keep the best dev step");
        foreach (var option in new Option[] { Model, Task, TrainSize, LearningRate, Steps, Batch, EvaluateEvery, MaxLength, CommonOptions.Seed, CommonOptions.Device, Out, OutputFolder.ForceRestart, CommonOptions.Data })
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
        var device = Devices.Parse(parse.GetValue(CommonOptions.Device)!);
        string model = parse.GetValue(Model)!, outFolder = parse.GetValue(Out)!;
        var shaping = new Shaping(parse).Add(Model).Add(Task).Add(TrainSize).Add(LearningRate).Add(Steps).Add(Batch).Add(EvaluateEvery).Add(MaxLength)
            .Add(CommonOptions.Seed).Add(CommonOptions.Device).Add(CommonOptions.Data.Name, data.Root).For("finetune");
        (string, string?)[] inputs = [("--model", model), ("--model", PretrainingRun.ModelFolderOf(model)), ("--task", taskFolder), ("--data", data.Root)];
        if (SlotTask.IsSlotTask(taskFolder))
        {
            var slotTask = SlotTask.Load(taskFolder);
            using var slotFolder = OutputFolder.Claim(parse, outFolder, shaping, inputs);
            return SlotFinetuning.Run(slotTask, θ, seed, data, model, parse.GetValue(TrainSize), device, outFolder, cancellation);
        }
        var task = TextTask.Load(taskFolder);
        var train = parse.GetValue(TrainSize) is { } size ? AgoraComparison.Subset(task.Train, size, seed) : task.Train;
        using var pretrained = PretrainedModel.Load(model, data, device);
        using var folder = OutputFolder.Claim(parse, outFolder, shaping, inputs);
        var outcome = ProgressDisplay.Run<FineTuningStep, ClassifierFineTuningOutcome>(
            progress => ClassifierFineTuningRun.Execute(task, train, pretrained.Encoder, data.Vocabulary, θ, seed, device, outFolder, progress, cancellation),
            step => new ProgressState(step.Step, step.Steps, string.Create(CultureInfo.InvariantCulture, $"step {step.Step}/{step.Steps} loss {step.Loss:F3}")));

        string metric = task.Metric.ToString().ToLowerInvariant();
        string testPart = outcome.TestScore is { } t ? string.Create(CultureInfo.InvariantCulture, $", test {metric} {t:F4}") : "";
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{task.Name} ({train.Count} training examples, {θ}): dev {metric} {outcome.DevScore:F4} at step {outcome.BestStep}{testPart}; wrote {outcome.ModelFolder}"));
        return 0;
    }
}
