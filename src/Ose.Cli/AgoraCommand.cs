using System.CommandLine;
using System.Globalization;
using Ose.Agora;
using Ose.Agora.Vectors;
using Ose.Reporting;

namespace Ose.Cli;

/// <summary><c>ose agora</c>: the Agora loop on a text task, and its toy demo.</summary>
public static class AgoraCommand
{
    private static readonly Option<long> Seed = new("--seed") { DefaultValueFactory = _ => 0 };
    private static readonly Option<int> Rounds = new("--rounds") { Description = "round limit", DefaultValueFactory = _ => 5 };

    public static Command Create()
    {
        var torusOut = new Option<string>("--out") { Description = "run folder; running again resumes", DefaultValueFactory = _ => Path.Combine("runs", "agora-torus") };
        var torus = new Command("torus", "the blog's toy: a two-class torus whose training sample covers a third of it; an MLP student; an MLP labeller")
        {
            Seed, Rounds, torusOut,
        };
        torus.SetAction((parse, cancellation) =>
        {
            var run = RunDirectory.Prepare(parse.GetValue(torusOut)!);
            var options = TorusDemo.DefaultOptions(parse.GetValue(Seed)) with { RoundLimit = parse.GetValue(Rounds) };
            var result = TorusDemo.Run(run.Path, options, progress: new Progress(), cancellation: cancellation);
            PrintRounds(result.Agora.Rounds, result.Agora.StopReason, "accuracy");
            Console.WriteLine($"wrote rounds.csv, rounds.png, round-N.png, generated.tsv to {run.Path}");
            return Task.FromResult(0);
        });
        var demo = new Command("demo", "small demonstrations of the loop") { torus };
        return new Command("agora", "Agora: grow the training set around the student's dev mistakes, labelled by a second model") { demo };
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
    private sealed class Progress : IProgress<string>
    {
        public void Report(string value) => Console.Error.WriteLine(value);
    }
}
