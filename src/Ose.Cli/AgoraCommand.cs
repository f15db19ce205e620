using System.CommandLine;
using System.Globalization;
using Ose.Agora.Text;
using Ose.Agora.Vectors;
using Ose.Agora;
using Ose.Models;
using Ose.Plots;
using Ose.Reporting;
using Ose.Tasks.Data;

namespace Ose.Cli;

/// <summary><c>ose agora</c>: the Agora loop on a text task, and its toy demo.</summary>
public static class AgoraCommand
{
    private static readonly Option<int> Rounds = new("--rounds") { Description = "round limit", DefaultValueFactory = _ => 5 };

    public static Command Create()
    {
        var torusOut = CommonOptions.Out(Path.Combine("runs", "agora-torus"));
        var torus = new Command("torus", "the blog's toy: a two-class torus whose training sample covers a third of it; an MLP student; an MLP labeller")
        {
            CommonOptions.Seed, Rounds, torusOut,
        };
        torus.SetAction((parse, cancellation) =>
        {
            var run = RunDirectory.Prepare(parse.GetValue(torusOut)!);
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
            CreateRun(), CreateCompare(), demo,
        };
    }

    private static readonly Option<string> LabellerOption = new("--labeller") { Description = "the labelling model: an `ose finetune` output or classifier folder", Required = true };
    private static readonly Option<string> Θ = new("--theta") { Description = "Θ, the hyperparameter sets (JSON)", DefaultValueFactory = _ => Path.Combine("configs", "agora", "theta-text.json") };
    private static readonly Option<int> PointsPerSeed = new("--k") { Description = "new points per misclassified dev point", DefaultValueFactory = _ => 4 };
    private static readonly Option<double> Fraction = new("--fraction") { Description = "share of words the masked LM resamples", DefaultValueFactory = _ => 0.15 };
    private static readonly Option<double> MinimumConfidence = new("--min-confidence") { Description = "drop generated points the labeller is less sure of", DefaultValueFactory = _ => 0.6 };
    private static readonly Option<bool> Force = new("--force") { Description = "run with a labeller whose dev accuracy is not above 2/3" };

    private static Command CreateRun()
    {
        var replay = new Option<int?>("--replay") { Description = "re-run this round and the ones after it" };
        var output = CommonOptions.Out(Path.Combine("runs", "agora"));
        var command = new Command("run", "the Agora loop on a text task");
        foreach (var option in new Option[] { FinetuneCommand.Model, FinetuneCommand.Task, LabellerOption, FinetuneCommand.TrainSize, Θ, Rounds, PointsPerSeed,
                     Fraction, MinimumConfidence, Force, replay, CommonOptions.Seed, CommonOptions.Device, output, CommonOptions.Data })
            command.Add(option);
        command.SetAction((parse, cancellation) =>
        {
            using var setup = CreateTextAgora(parse);
            long seed = parse.GetValue(CommonOptions.Seed);
            var train = parse.GetValue(FinetuneCommand.TrainSize) is { } size ? AgoraComparison.Subset(setup.Task.Train, size, seed) : setup.Task.Train;
            var run = RunDirectory.Prepare(parse.GetValue(output)!);
            var loop = new AgoraLoop<TextInput>(setup.Students, setup.Sampler, setup.Labeller, new TextFormat(), setup.Options with { Seed = seed });
            var result = loop.Run(TextPoints.From(train), TextPoints.From(setup.Task.Dev), TextPoints.From(setup.Task.Test), run.Path,
                parse.GetValue(replay), new Lines(), cancellation);
            string metric = setup.Task.Metric.ToString().ToLowerInvariant();
            AgoraPlots.WriteRounds(run.File("rounds.png"), result.Rounds, metric);
            PrintRounds(result.Rounds, result.StopReason, metric);
            Console.WriteLine($"wrote rounds.csv, rounds.png, generated.tsv to {run.Path}");
            return Task.FromResult(0);
        });
        return command;
    }

    private static Command CreateCompare()
    {
        var sizes = new Option<string>("--train-sizes") { Description = "scarce training sizes, comma-separated", DefaultValueFactory = _ => "64,128" };
        var seeds = new Option<int>("--seeds") { Description = "seeds per size (0..N-1)", DefaultValueFactory = _ => 5 };
        var output = CommonOptions.Out(Path.Combine("runs", "agora-compare"));
        var command = new Command("compare", "plain fine-tuning vs Agora on scarce training splits, same student and compute, several seeds");
        foreach (var option in new Option[] { FinetuneCommand.Model, FinetuneCommand.Task, LabellerOption, sizes, seeds, Θ, Rounds, PointsPerSeed, Fraction,
                     MinimumConfidence, Force, CommonOptions.Device, output, CommonOptions.Data })
            command.Add(option);
        command.SetAction((parse, cancellation) =>
        {
            var trainSizes = parse.GetValue(sizes)!.Split(',').Select(s => int.TryParse(s, out int n) ? n
                : throw new UserInputException($"--train-sizes must be comma-separated integers, got '{parse.GetValue(sizes)}'")).ToArray();
            using var setup = CreateTextAgora(parse);
            var run = RunDirectory.Prepare(parse.GetValue(output)!);
            var comparison = new AgoraComparison(setup.Task, setup.Students, setup.Labeller, setup.Sampler, setup.Options);
            var cells = comparison.Run(trainSizes, parse.GetValue(seeds), run.Path, new Lines(), cancellation);
            AgoraPlots.WriteComparison(run.File("comparison.png"), cells, setup.Task);
            Console.Write(File.ReadAllText(run.File("comparison.md")));
            Console.WriteLine($"wrote comparison.csv, comparison.md and one folder per cell to {run.Path}");
            return Task.FromResult(0);
        });
        return command;
    }

    /// <summary>The pieces of a text Agora run, loaded from the command line.</summary>
    private static TextAgoraSetup CreateTextAgora(ParseResult parse)
    {
        var data = DataDirectory.Resolve(parse.GetValue(CommonOptions.Data));
        var task = TextSetup.LoadTask(parse.GetValue(FinetuneCommand.Task)!, data);
        var options = new AgoraOptions(TextSetup.LoadΘ(parse.GetValue(Θ)!), parse.GetValue(Rounds), parse.GetValue(PointsPerSeed),
            parse.GetValue(MinimumConfidence), ForceLabeller: parse.GetValue(Force));
        options.Validate();
        var device = Devices.Parse(parse.GetValue(CommonOptions.Device)!);
        string labellerPath = parse.GetValue(LabellerOption)!;
        string labellerFolder = File.Exists(Path.Combine(labellerPath, "model", "config.json")) ? Path.Combine(labellerPath, "model") : labellerPath;
        return TextAgoraSetup.Create(data, task, options, TextSetup.LoadStudent(parse.GetValue(FinetuneCommand.Model)!, device),
            labellerFolder, parse.GetValue(Fraction), device);
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
