using System.CommandLine;
using System.Globalization;
using Ose.Training;
using Ose.Agora.Text;
using Ose.Agora.Vectors;
using Ose.Agora;
using Ose.Models;
using Ose.Plots;
using Ose.Reporting;
using Ose.Tasks.Data;
using Ose.Tasks;
using Ose.Training.FineTuning;

namespace Ose.Cli;

/// <summary><c>ose agora</c>: the Agora loop on a text task, and its toy demo.</summary>
public static class AgoraCommand
{
    private static readonly Option<int> Rounds = new Option<int>("--rounds") { Description = "round limit", DefaultValueFactory = _ => 5 }.AtLeast(1);

    public static Command Create()
    {
        var torusOut = CommonOptions.Out(Path.Combine("runs", "agora-torus"));
        var torus = new Command("torus", "the blog's toy: a two-class torus whose training sample covers a third of it; an MLP student; an MLP labeller")
        {
            CommonOptions.Seed, Rounds, torusOut, OutputFolder.ForceRestart,
        };
        torus.SetAction((parse, cancellation) =>
        {
            using var folder = OutputFolder.Claim(parse, parse.GetValue(torusOut)!, new Shaping(parse).Add(CommonOptions.Seed).For("agora demo torus"));
            var run = RunDirectory.Prepare(folder.Path);
            var options = TorusDemo.DefaultOptions(parse.GetValue(CommonOptions.Seed)) with { RoundLimit = parse.GetValue(Rounds) };
            var result = TorusDemo.Run(run.Path, options, progress: new Lines(), cancellation: cancellation);
            AgoraPlots.WriteRounds(run.File("rounds.png"), result.Agora.Rounds, "accuracy");
            foreach (var round in result.Agora.Rounds)
                AgoraPlots.WriteTorusRound(run.File($"round-{round.Round}.png"), round, result.TrainingSetOf(round));
            PrintRounds(result.Agora.Rounds, result.Agora.StopReason, "accuracy");
            Console.WriteLine($"wrote rounds.csv, rounds.png, round-N.png, generated.tsv to {run.Path}");
            return Task.FromResult(0);
        });
        var demo = new Command("demo", "small demonstrations of the loop") { torus };
        return new Command("agora", "Agora: grow the training set around the student's dev mistakes, labelled by a second model")
        {
            CreateRun(), CreateCompare(), CreatePool(), demo,
        };
    }

    private static readonly Option<string> LabellerOption = new("--labeller") { Description = "the labelling model: an `ose finetune` output, or a classifier (tagger, on a slot task) folder", Required = true };
    private static readonly Option<string> Θ = new("--theta") { Description = "Θ, the hyperparameter sets (JSON)", DefaultValueFactory = _ => Path.Combine("configs", "agora", "theta-text.json") };
    private static readonly Option<int> PointsPerSeed = new Option<int>("--k") { Description = "new points per misclassified dev point", DefaultValueFactory = _ => 4 }.AtLeast(1);
    private static readonly Option<double> Fraction = new Option<double>("--fraction") { Description = "share of words the masked LM resamples", DefaultValueFactory = _ => 0.15 }
        .Within(0, 1, includeLow: false);
    private static readonly Option<double> MinimumConfidence = new Option<double>("--min-confidence") { Description = "drop generated points the labeller is less sure of", DefaultValueFactory = _ => 0.6 }
        .Within(0, 1);
    private static readonly Option<string?> Sampler = new("--sampler") { Description = "the masked LM that draws new words: a model as --model takes (default: --model's own)" };
    private static readonly Option<bool> Force = new("--force") { Description = "run with a labeller whose dev accuracy (span F1 on a slot task) is not above 2/3" };

    private static Command CreateRun()
    {
        var replay = new Option<int?>("--replay") { Description = "re-run this round and the ones after it" }.AtLeast(0);
        var output = CommonOptions.Out(Path.Combine("runs", "agora"));
        var command = new Command("run", "the Agora loop on a text task: sentence classification, or slot tagging");
        foreach (var option in new Option[] { FinetuneCommand.Model, FinetuneCommand.Task, LabellerOption, Sampler, FinetuneCommand.TrainSize, Θ, Rounds, PointsPerSeed,
                     Fraction, MinimumConfidence, Force, replay, CommonOptions.Seed, CommonOptions.Device, output, OutputFolder.ForceRestart, CommonOptions.Data })
            command.Add(option);
        command.SetAction((parse, cancellation) =>
        {
            long seed = parse.GetValue(CommonOptions.Seed);
            Runs.RunFolder Claim() =>
                ClaimTextAgora(parse, parse.GetValue(output)!, Shaped(parse).Add(FinetuneCommand.TrainSize).Add(CommonOptions.Seed).For("agora run"));
            var data = DataDirectory.Resolve(parse.GetValue(CommonOptions.Data));
            int? trainSize = parse.GetValue(FinetuneCommand.TrainSize), replayRound = parse.GetValue(replay);
            if (IsSlotTask(parse, data))
            {
                using var slots = CreateSlotAgora(parse, data);
                return RunLoop(AgoraTask.Of(slots.Task), slots, Claim, trainSize, seed, replayRound, cancellation);
            }
            using var setup = CreateTextAgora(parse, data);
            return RunLoop(AgoraTask.Of(setup.Task), setup, Claim, trainSize, seed, replayRound, cancellation);
        });
        return command;
    }

    /// <summary>Claims the run folder (once the models have loaded, so a refused model leaves none), runs the loop on the first
    /// <paramref name="trainSize"/> of a seeded shuffle of the training split (all of it without one), writes its plot and prints its rounds.</summary>
    private static Task<int> RunLoop<TTask, TLabel>(AgoraTask<TLabel> task, AgoraSetup<TTask, TLabel> setup, Func<Runs.RunFolder> claim,
        int? trainSize, long seed, int? replay, CancellationToken cancellation)
    {
        var loop = new AgoraLoop<TextInput, TLabel>(setup.Students, setup.Sampler, setup.Labeller, new TextFormat(), task.Labels, setup.Options with { Seed = seed });
        var train = trainSize is { } size ? AgoraComparison.Subset(task.Train, size, seed) : task.Train;
        using var folder = claim();
        var run = RunDirectory.Prepare(folder.Path);
        var result = loop.Run(train, task.Dev, task.Test, run.Path, replay, new Lines(), cancellation);
        AgoraPlots.WriteRounds(run.File("rounds.png"), result.Rounds, task.Metric);
        PrintRounds(result.Rounds, result.StopReason, task.Metric);
        Console.WriteLine($"wrote rounds.csv, rounds.png, generated.tsv to {run.Path}");
        return Task.FromResult(0);
    }

    private static Command CreateCompare()
    {
        var sizes = new Option<string>("--train-sizes") { Description = "scarce training sizes, comma-separated", DefaultValueFactory = _ => "64,128" };
        var seeds = new Option<int>("--seeds") { Description = "seeds per size (0..N-1)", DefaultValueFactory = _ => 5 }.AtLeast(1);
        var output = CommonOptions.Out(Path.Combine("runs", "agora-compare"));
        var command = new Command("compare",
            "plain fine-tuning vs Agora on scarce training splits of a text task (sentence classification, or slot tagging), same student and compute, several seeds");
        foreach (var option in new Option[] { FinetuneCommand.Model, FinetuneCommand.Task, LabellerOption, Sampler, sizes, seeds, Θ, Rounds, PointsPerSeed, Fraction,
                     MinimumConfidence, Force, CommonOptions.Device, output, OutputFolder.ForceRestart, CommonOptions.Data })
            command.Add(option);
        command.SetAction((parse, cancellation) =>
        {
            var trainSizes = parse.GetValue(sizes)!.Split(',').Select(s => int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n >= 2 ? n
                : throw new UserInputException($"--train-sizes must be comma-separated whole numbers of at least 2, got '{parse.GetValue(sizes)}'")).ToArray();
            int seedCount = parse.GetValue(seeds);
            Runs.RunFolder Claim() => ClaimTextAgora(parse, parse.GetValue(output)!, Shaped(parse).Add(sizes).Add(seeds).For("agora compare"));
            var data = DataDirectory.Resolve(parse.GetValue(CommonOptions.Data));
            if (IsSlotTask(parse, data))
            {
                using var slots = CreateSlotAgora(parse, data);
                return Compare(AgoraTask.Of(slots.Task), slots, Claim, trainSizes, seedCount, cancellation);
            }
            using var setup = CreateTextAgora(parse, data);
            return Compare(AgoraTask.Of(setup.Task), setup, Claim, trainSizes, seedCount, cancellation);
        });
        return command;
    }

    /// <summary>Claims the run folder (once the models have loaded), runs the comparison, writes its plot and prints its table.</summary>
    private static Task<int> Compare<TTask, TLabel>(AgoraTask<TLabel> task, AgoraSetup<TTask, TLabel> setup, Func<Runs.RunFolder> claim,
        IReadOnlyList<int> trainSizes, int seeds, CancellationToken cancellation)
    {
        using var folder = claim();
        var run = RunDirectory.Prepare(folder.Path);
        var comparison = new AgoraComparison<TLabel>(task, setup.Students, setup.Labeller, setup.Sampler, setup.Options);
        var cells = comparison.Run(trainSizes, seeds, run.Path, new Lines(), cancellation);
        AgoraPlots.WriteComparison(run.File("comparison.png"), cells, task.Name, task.Metric);
        Console.Write(File.ReadAllText(run.File("comparison.md")));
        Console.WriteLine($"wrote comparison.csv, comparison.md and one folder per cell to {run.Path}");
        return Task.FromResult(0);
    }

    private static Command CreatePool()
    {
        var folders = new Argument<string[]>("comparisons") { Description = "`ose agora compare` output folders (tasks, training sizes)", Arity = ArgumentArity.OneOrMore };
        var output = new Option<string?>("--out") { Description = "also write the table (pooled.md) and its plot (pooled.png) to this folder" };
        var command = new Command("pool", "the paired differences of several comparisons taken together: per task, per training size, and pooled") { folders, output };
        command.SetAction((parse, cancellation) =>
        {
            var cells = new List<PooledCell>();
            foreach (string folder in parse.GetValue(folders)!)
            {
                var options = Runs.RunOptions.Read(folder);
                if (options is null || options.Command != "agora compare")
                    throw new UserInputException($"{folder} is not an `ose agora compare` output (no options.json of one)");
                string Option(Option option) => options.Values.Single(v => v.Key == option.Name).Value;
                // The task as the comparison named it (a prepared task's name, or a folder relative to where it ran).
                string task = DataDirectory.Resolve(Option(CommonOptions.Data)).TaskFolder(Option(FinetuneCommand.Task));
                cells.AddRange(SlotTask.IsSlotTask(task) ? PooledCells(AgoraTask.Of(SlotTask.Load(task)), folder)
                    : PooledCells(AgoraTask.Of(TextTask.Load(task)), folder));
            }
            var groups = AgoraComparison.Pool(cells);
            string table = AgoraComparison.PooledMarkdown(groups);
            Console.Write(table);
            if (parse.GetValue(output) is { } outFolder)
            {
                Directory.CreateDirectory(outFolder);
                IO.CrashSafe.WriteText(Path.Combine(outFolder, "pooled.md"), table);
                AgoraPlots.WritePooled(Path.Combine(outFolder, "pooled.png"), groups, targetPoints: 3);
                Console.WriteLine($"wrote pooled.md and pooled.png to {outFolder}");
            }
            return Task.FromResult(0);
        });
        return command;
    }

    /// <summary>The finished cells of a comparison's output folder, as pool takes them.</summary>
    private static PooledCell[] PooledCells<TLabel>(AgoraTask<TLabel> task, string folder)
    {
        var finished = AgoraComparison.ReadCells(folder);
        if (finished.Count == 0) throw new UserInputException($"{folder} holds no finished cell yet");
        return [.. finished.Select(f => AgoraComparison.Pooled(task, f.Folder, f.Cell))];
    }

    /// <summary>The options of a text Agora run that shape its results, but for the command's own (seed, sizes); not --rounds, which a run may raise to continue.</summary>
    private static Shaping Shaped(ParseResult parse) =>
        new Shaping(parse).Add(FinetuneCommand.Model).Add(FinetuneCommand.Task).Add(LabellerOption).Add(Sampler).AddFile(Θ).Add(PointsPerSeed).Add(Fraction)
            .Add(MinimumConfidence).Add(CommonOptions.Device).Add(CommonOptions.Data.Name, DataDirectory.Resolve(parse.GetValue(CommonOptions.Data)).Root);

    private static Runs.RunFolder ClaimTextAgora(ParseResult parse, string outFolder, Runs.RunOptions options)
    {
        var data = DataDirectory.Resolve(parse.GetValue(CommonOptions.Data));
        string model = parse.GetValue(FinetuneCommand.Model)!, labeller = parse.GetValue(LabellerOption)!;
        return OutputFolder.Claim(parse, outFolder, options, ("--model", model), ("--model", PretrainingRun.ModelFolderOf(model)), ("--labeller", labeller), ("--labeller", PretrainingRun.ModelFolderOf(labeller)),
            ("--sampler", parse.GetValue(Sampler)), ("--task", data.TaskFolder(parse.GetValue(FinetuneCommand.Task)!)), ("--theta", parse.GetValue(Θ)), ("--data", data.Root));
    }

    /// <summary>Whether --task names a slot-tagging task rather than a sentence-classification one.</summary>
    private static bool IsSlotTask(ParseResult parse, DataDirectory data) => SlotTask.IsSlotTask(data.TaskFolder(parse.GetValue(FinetuneCommand.Task)!));

    /// <summary>The pieces of a text Agora run, loaded from the command line.</summary>
    private static AgoraSetup<TextTask, int> CreateTextAgora(ParseResult parse, DataDirectory data)
    {
        var task = TextSetup.LoadTask(parse.GetValue(FinetuneCommand.Task)!, data);
        var (options, device, labeller) = Settings(parse);
        var (student, sampler) = LoadModels(parse, data, device);
        return TextAgoraSetup.Create(data, task, options, student, sampler, labeller, parse.GetValue(Fraction), device);
    }

    /// <summary>The pieces of an Agora run on a slot task, loaded from the command line.</summary>
    private static AgoraSetup<SlotTask, SlotAnnotation> CreateSlotAgora(ParseResult parse, DataDirectory data)
    {
        var task = SlotTask.Load(data.TaskFolder(parse.GetValue(FinetuneCommand.Task)!));
        var (options, device, labeller) = Settings(parse);
        var (student, sampler) = LoadModels(parse, data, device);
        return SlotAgoraSetup.Create(data, task, options, student, sampler, labeller, parse.GetValue(Fraction), device);
    }

    /// <summary>The loop's options, the device, and the labeller's model folder.</summary>
    private static (AgoraOptions Options, TorchSharp.torch.Device Device, string LabellerFolder) Settings(ParseResult parse)
    {
        var options = new AgoraOptions(TextSetup.LoadΘ(parse.GetValue(Θ)!), parse.GetValue(Rounds), parse.GetValue(PointsPerSeed),
            parse.GetValue(MinimumConfidence), ForceLabeller: parse.GetValue(Force));
        options.Validate();
        return (options, Devices.Parse(parse.GetValue(CommonOptions.Device)!), PretrainingRun.ModelFolderOf(parse.GetValue(LabellerOption)!));
    }

    /// <summary>The student and the sampler's model when one is given (the student's own masked LM otherwise).</summary>
    private static (PretrainedModel Student, PretrainedModel? Sampler) LoadModels(ParseResult parse, DataDirectory data, TorchSharp.torch.Device device)
    {
        var student = PretrainedModel.Load(parse.GetValue(FinetuneCommand.Model)!, data, device);
        try
        {
            return (student, parse.GetValue(Sampler) is { } path ? PretrainedModel.Load(path, data, device) : null);
        }
        catch
        {
            student.Dispose();
            throw;
        }
    }

    internal static void PrintRounds(IReadOnlyList<AgoraRound> rounds, string stopReason, string metric)
    {
        Console.WriteLine($"round  Θ  best θ  dev {metric,-9} test {metric,-9} misclassified  generated  kept  train  steps");
        foreach (var r in rounds)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{r.Round,5}  {r.ΘAtStart.Length}  {r.BestΘ,6}  {r.DevScore,-13:F4} {(r.TestScore is { } t ? t.ToString("F4", CultureInfo.InvariantCulture) : "-"),-14} {r.Misclassified,13}  {r.Generated,9}  {r.Kept,4}  {r.TrainSize,5}  {r.Steps,5}"));
        Console.WriteLine($"stopped: {stopReason}");
    }

    /// <summary>Progress lines on stderr, as they come.</summary>
    private sealed class Lines : IProgress<string>
    {
        public void Report(string value) => Console.Error.WriteLine(value);
    }
}
