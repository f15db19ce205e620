using Ose.Plots;
using System.CommandLine;
using Ose.Runs;
using Ose.Search;
using Ose.Training;

namespace Ose.Cli;

/// <summary><c>ose search</c>: parses the flags, runs <see cref="SearchRun"/>, prints what it found.</summary>
public static class SearchCommand
{
    private static readonly Option<double> Epsilon = new("--epsilon")
    {
        Description = "approximation parameter ε in (0, 1): the answer is certified within a factor 1+ε, the front's resolution",
        DefaultValueFactory = _ => 0.1,
    };
    private static readonly Option<string> SourceOption = new("--source")
    {
        Description = $"source model: a preset ({string.Join(", ", Source.PresetNames)}) or a Hugging Face config.json",
        DefaultValueFactory = _ => "bert-large",
    };
    private static readonly Option<string?> Space = new("--space")
    {
        Description = "search space: an embedded name (bort) or a JSON file with lists D, A, H, I; default bort",
    };
    private static readonly Option<string?> Errors = new("--errors")
    {
        Description = "error objective: train (default: bounded masked-LM training of each candidate), a CSV with columns D,A,H,I,error, or proxy:scaling-law (training-free, capacity only)",
    };
    private static readonly Option<string> Searcher = new("--searcher")
    {
        Description = "fptas (default), or a baseline: exhaustive, random, nsga2",
        DefaultValueFactory = _ => "fptas",
    };
    private static readonly Option<string> Budget = new("--budget")
    {
        Description = "wall-clock budget (90s, 10m, 1h30m, or none): stop and report the certified gap when spent; run again to continue",
        DefaultValueFactory = _ => "10m",
    };
    private static readonly Option<int?> MaxEvaluations = new("--max-evaluations")
    {
        Description = "stop after this many error evaluations (random and nsga2 default to a tenth of the space)",
    };
    private static readonly Option<int> SequenceLength = new("--sequence-length")
    {
        Description = "sequence length L of the inference cost",
        DefaultValueFactory = _ => 128,
    };
    private static readonly Option<string?> Out = new("--out")
    {
        Description = "run directory: trial store and outputs; re-running on it resumes (default runs/<source>)",
    };

    public static Command Create()
    {
        var command = new Command("search", "find the sub-architecture of best W and the ε-Pareto front");
        foreach (var option in new Option[] { Epsilon, SourceOption, Space, Errors, Searcher, Budget, MaxEvaluations, CommonOptions.Seed, SequenceLength, Out, CommonOptions.Device, CommonOptions.Data })
            command.Add(option);
        command.SetAction((parse, cancellation) => Task.FromResult(Run(parse, cancellation)));
        return command;
    }

    private static int Run(ParseResult parse, CancellationToken cancellation)
    {
        string source = parse.GetValue(SourceOption)!;
        var request = new SearchRequest(
            Source: source,
            Epsilon: parse.GetValue(Epsilon),
            OutputDirectory: parse.GetValue(Out) ?? Path.Combine("runs", Path.GetFileNameWithoutExtension(source.TrimEnd('/'))),
            Space: parse.GetValue(Space),
            Errors: parse.GetValue(Errors),
            Searcher: parse.GetValue(Searcher)!,
            SequenceLength: parse.GetValue(SequenceLength),
            Budget: parse.GetValue(Budget) is "none" ? null : Durations.Parse(parse.GetValue(Budget)!),
            MaxEvaluations: parse.GetValue(MaxEvaluations),
            Seed: parse.GetValue(CommonOptions.Seed));

        string? data = parse.GetValue(CommonOptions.Data);
        string device = parse.GetValue(CommonOptions.Device)!;
        var outcome = ProgressDisplay.Run<SearchProgress, SearchOutcome>(
            progress => SearchRun.Execute(request, context => TrainedErrorSetup.Create(context, data, device), progress, cancellation),
            report => new ProgressState(report.Evaluations, report.Evaluations + report.Remaining,
                $"{report.Phase}: {report.Evaluations} evaluated" + (report.Remaining is { } r ? $", {r} open" : "")));
        ParetoPlot.Write(outcome);
        SearchReport.Print(outcome);
        return outcome.Result.StopReason == StopReason.Interrupted ? 130 : 0;
    }
}
