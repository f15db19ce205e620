using Ose.Plots;
using System.CommandLine;
using Ose.Models;
using Ose.Models.Latency;
using Ose.Models.Sources;
using Ose.Tasks.Data;
using Ose.Training.Distil;
using Ose.Runs;
using Ose.Search;
using Ose.Training;

namespace Ose.Cli;

/// <summary><c>ose search</c>: parses the flags, runs <see cref="SearchRun"/>, prints what it found.</summary>
public static class SearchCommand
{
    private static readonly Option<double> Epsilon = new Option<double>("--epsilon")
    {
        Description = "approximation parameter ε in (0, 1): the answer is certified within a factor 1+ε, the front's resolution",
        DefaultValueFactory = _ => 0.1,
    }.Within(0, 1, includeLow: false, includeHigh: false);
    private static readonly Option<string> SourceOption = new("--source")
    {
        Description = $"source model: a preset ({string.Join(", ", Source.PresetNames)}) or a Hugging Face config.json; with weights: {string.Join(", ", PackagedModels.Pinned.Select(m => m.Name))}, an ONNX file or a Hugging Face folder",
        DefaultValueFactory = _ => "bert-large",
    };
    private static readonly Option<string?> Space = new("--space")
    {
        Description = "search space: an embedded name (bort, mini, minilm) or a JSON file with D, A, H, I as lists or {from, to, step}; default: the source's (bort for bert-large, minilm for minilm)",
    };
    private static readonly Option<string?> Errors = new("--errors")
    {
        Description = "error objective: distil (the default for a source with weights: each candidate extracted from the source and distilled), train (the default otherwise: bounded masked-LM training from scratch), a CSV with columns D,A,H,I,error, or proxy:scaling-law (training-free, capacity only)",
    };
    private static readonly Option<string> Searcher = new("--searcher")
    {
        Description = "fptas (default), or a baseline: exhaustive, random, nsga2",
        DefaultValueFactory = _ => "fptas",
    };
    private static readonly Option<TimeSpan> Budget = new Option<TimeSpan>("--budget")
    {
        Description = "wall-clock budget (90s, 10m, 1h30m, or none): when spent, report the best candidates found so far; run again to continue",
        DefaultValueFactory = _ => TimeSpan.FromMinutes(10),
        HelpName = "duration",
    }.ReadsDuration();
    private static readonly Option<int?> MaxEvaluations = new Option<int?>("--max-evaluations")
    {
        Description = "stop after this many error evaluations (random and nsga2 default to a tenth of the space)",
    }.AtLeast(1);
    private static readonly Option<int> SequenceLength = new Option<int>("--sequence-length")
    {
        Description = "sequence length L of the inference cost",
        DefaultValueFactory = _ => 128,
    }.AtLeast(1);
    private static readonly Option<int?> WorkerCount = new Option<int?>("--workers")
    {
        Description = "evaluate in K local `ose worker` processes through the trial store (--storage, default the run folder's trials.sqlite); 0: only enqueue, for workers started elsewhere (Slurm, Kubernetes)",
    }.AtLeast(0);
    private static readonly Option<int?> InFlight = new Option<int?>("--in-flight")
    {
        Description = "with workers: evaluations enqueued per round (default --workers, at least 1); the result depends on it, not on the workers' speed",
    }.AtLeast(1);
    private static readonly Option<string?> SimulateCost = new("--simulate-cost")
    {
        Description = "make an error table or proxy cost this long per evaluation (2s, 1m): stored and searched like training, for trying out and measuring workers",
    };
    private static readonly Option<string> Inference = new Option<string>("--inference")
    {
        Description = "inference cost i(ξ): analytic (default: operations of a forward pass) or measured (ONNX Runtime latency on this machine at batch 1: a sample of candidates measured, a fitted model for the rest)",
        DefaultValueFactory = _ => SearchRun.AnalyticInference,
    }.AcceptOnlyFromAmong(SearchRun.AnalyticInference, SearchRun.MeasuredInference);
    private static readonly Option<string?> Out = new("--out")
    {
        Description = "run directory: trial store and outputs; re-running on it resumes (default runs/<source>)",
    };

    /// <summary>The progress line: the phase, what is done, and the evaluation in flight with its step count and time left.</summary>
    private static ProgressState Describe(SearchProgress report)
    {
        string line = $"{report.Phase.ToString().ToLowerInvariant()}: {report.Evaluations} evaluated"
            + (report.Remaining is { } remaining ? $", {remaining} more planned" : "");
        if (report.InFlight is { } ξ) line += $"; evaluating {ξ.ToShortString()}";
        if (report.Step is { } step)
            line += $" step {step.Step}/{step.Steps}, ETA {(int)step.Remaining.TotalMinutes}:{step.Remaining.Seconds:00}";
        return new ProgressState(report.Evaluations, report.Remaining + report.Evaluations + 1, line);
    }

    public static Command Create()
    {
        var command = new Command("search", "find the sub-architecture of best W and the ε-Pareto front");
        foreach (var option in new Option[] { Epsilon, SourceOption, Space, Errors, Searcher, Budget, MaxEvaluations, CommonOptions.Seed, SequenceLength, Out, OutputFolder.ForceRestart, CommonOptions.Device, CommonOptions.Data, Storage.Url, Storage.Study, WorkerCount, InFlight, SimulateCost, Inference })
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
            Budget: Durations.Limit(parse.GetValue(Budget)),
            MaxEvaluations: parse.GetValue(MaxEvaluations),
            Seed: parse.GetValue(CommonOptions.Seed),
            SimulatedCost: parse.GetValue(SimulateCost) is { } cost ? Durations.Parse(cost, SimulateCost.Name) : null,
            Inference: parse.GetValue(Inference)!);

        string? data = parse.GetValue(CommonOptions.Data);
        string device = parse.GetValue(CommonOptions.Device)!;
        // Budget and evaluation cap are not recorded: running again with more of either is how a search continues.
        var shaping = new Shaping(parse).Add(Epsilon).AddFile(SourceOption).AddFile(Space).AddFile(Errors).Add(Searcher).Add(SequenceLength).Add(CommonOptions.Seed);
        bool trained = request.Errors is null or SearchRun.TrainedErrorToken or SearchRun.DistilledErrorToken;
        string dataRoot = DataDirectory.Resolve(data).Root;
        if (trained) shaping.Add(CommonOptions.Device).Add(CommonOptions.Data.Name, dataRoot);
        if (request.SimulatedCost is not null) shaping.Add(SimulateCost);
        // Recorded only when measured, so that run folders of earlier (analytic) searches resume as they were.
        if (request.Inference == SearchRun.MeasuredInference) shaping.Add(Inference);
        string? storage = parse.GetValue(Storage.Url);
        int? workers = parse.GetValue(WorkerCount);
        bool distributed = storage is not null || workers is not null;
        int inFlight = parse.GetValue(InFlight) ?? Math.Max(1, workers ?? 0);
        // The round size shapes the figures of a search run by workers; how many workers there are does not.
        if (distributed) shaping.Add(InFlight.Name, inFlight.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var folder = OutputFolder.Claim(parse, request.OutputDirectory, shaping.For("search"),
            ("--source", request.Source), ("--space", request.Space), ("--errors", request.Errors), ("--data", trained ? dataRoot : null));
        TrainedErrorFactory trainedError = SearchErrors.Factory(data, device);
        var sources = SearchErrors.Sources(data);
        var outcome = distributed
            ? RunWithWorkers(request, trainedError, sources, storage ?? Storage.SqlitePrefix + Path.Combine(folder.Path, Ose.Store.SqliteTrialStore.FileName),
                parse.GetValue(Storage.Study)!, workers ?? 0, inFlight, StudyRequest.For(request, data, device), folder.Path, cancellation)
            : ProgressDisplay.Run<SearchProgress, SearchOutcome>(
                progress => SearchRun.Execute(request, trainedError, progress, cancellation, sources, measureLatency: OnnxRuntimeLatency), Describe);
        ParetoPlot.Write(outcome);
        LatencyPlot.Write(outcome);
        SearchReport.Print(outcome);
        // What was found so far is printed and written; the interrupt itself is said where every command's is.
        if (outcome.Result.StopReason == StopReason.Interrupted) throw new OperationCanceledException(cancellation);
        return 0;
    }

    /// <summary>Candidates timed in ONNX Runtime with random weights, on libtorch's thread count (<see cref="OnnxLatency"/>).</summary>
    private static readonly LatencyMeasurer OnnxRuntimeLatency = new("onnxruntime",
        (ξ, shape, sequenceLength) => OnnxLatency.MedianSeconds(EncoderConfig.From(ξ, shape, dropout: 0), batch: 1, sequenceLength));

    /// <summary>
    /// The search with its evaluations done by workers (DESIGN §4): the study is opened (or found, for a resumed search),
    /// K local workers start, the search enqueues its proposals round by round and waits for them; at the end the study
    /// is marked finished, so that every worker, local or not, stops once nothing is left to claim.
    /// </summary>
    private static SearchOutcome RunWithWorkers(SearchRequest request, TrainedErrorFactory trainedError, Func<string, Source> sources,
        string storage, string studyName,
        int workers, int inFlight, StudyRequest studyRequest, string runFolder, CancellationToken cancellation)
    {
        using var queue = Storage.Open(storage, create: true);
        var study = Storage.OpenStudy(queue, studyName, studyRequest);
        queue.SetFinished(study.Id, false);
        try
        {
            using var processes = new WorkerProcesses(workers, storage, studyName, runFolder);
            return ProgressDisplay.Run<SearchProgress, SearchOutcome>(
                progress => SearchRun.Execute(request, trainedError, progress, cancellation, sources, new Workers(queue, study.Id, inFlight), OnnxRuntimeLatency), Describe);
        }
        finally
        {
            queue.SetFinished(study.Id, true);
        }
    }
}
