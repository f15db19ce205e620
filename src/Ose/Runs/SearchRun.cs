using System.Diagnostics;
using Ose.Costs;
using Ose.Objectives;
using Ose.Pareto;
using Ose.Reporting;
using Ose.Search;
using Ose.Spaces;
using Ose.Store;

namespace Ose.Runs;

/// <summary>
/// One <c>ose search</c>: resolves the inputs, checks them all before spending anything, runs the searcher
/// against the run directory's trial store, and writes the reports.
/// </summary>
public static class SearchRun
{
    public static IReadOnlyDictionary<string, Func<SearchRequest, ISampler>> Searchers { get; } = new Dictionary<string, Func<SearchRequest, ISampler>>
    {
        ["fptas"] = request => new Fptas(request.Seed),
        ["exhaustive"] = _ => new ExhaustiveSearch(),
        ["random"] = request => new RandomSearch(request.Seed, request.MaxEvaluations),
        ["nsga2"] = request => new Nsga2(request.Seed, request.MaxEvaluations),
    };

    /// <summary>The error used when none is named and the source has no weights: bounded training of each candidate.</summary>
    public const string TrainedErrorToken = "train";

    /// <summary>How a training-free error is named (<c>proxy:scaling-law</c>).</summary>
    public const string ProxyPrefix = "proxy:";

    /// <summary>The error used when none is named and the source has weights: each candidate extracted from it and distilled.</summary>
    public const string DistilledErrorToken = "distil";

    /// <summary>i(ξ) as the operation count of a forward pass (DESIGN §2.2): the default.</summary>
    public const string AnalyticInference = "analytic";

    /// <summary>i(ξ) as latency measured on this machine for a sample of candidates, fitted for the rest (issue 16).</summary>
    public const string MeasuredInference = "measured";

    /// <summary>Candidates measured for a measured inference cost: fitted on, and held out to check the fit.</summary>
    public const int LatencyFitted = 12, LatencyHeldOut = 6;

    /// <param name="measureLatency">Measures one architecture's forward latency for <c>--inference measured</c> (the CLI's
    /// engine; src/Ose runs no model); null when no engine is available here.</param>
    /// <param name="resolveSource">Reads the source named in the request; by default a config-only preset or config.json
    /// (<see cref="Source.Resolve"/>), while the CLI also reads sources with weights.</param>
    /// <param name="workers">The queue whose workers evaluate (DESIGN §4); null to evaluate in this process, storing trials in the run directory.</param>
    public static SearchOutcome Execute(SearchRequest request, TrainedErrorFactory? trainedError,
        IProgress<SearchProgress>? progress, CancellationToken cancellation, Func<string, Source>? resolveSource = null,
        Workers? workers = null, LatencyMeasurer? measureLatency = null)
    {
        var clock = Stopwatch.StartNew();
        if (!(request.Epsilon > 0 && request.Epsilon < 1))
            throw new UserInputException($"--epsilon must lie strictly between 0 and 1, got {request.Epsilon}");
        if (!Searchers.TryGetValue(request.Searcher, out var makeSearcher))
            throw new UserInputException($"unknown searcher '{request.Searcher}': use one of {string.Join(", ", Searchers.Keys)}");
        if (request.MaxEvaluations is <= 0)
            throw new UserInputException($"--max-evaluations must be positive, got {request.MaxEvaluations}");

        var source = (resolveSource ?? Source.Resolve)(request.Source);
        var space = SearchSpace.Resolve(request.Space ?? source.DefaultSpace);
        var candidates = space.Candidates;
        if (request.Inference is not (AnalyticInference or MeasuredInference))
            throw new UserInputException($"unknown inference cost '{request.Inference}': use {AnalyticInference} or {MeasuredInference}");
        if (request.Inference == MeasuredInference && measureLatency is null)
            throw new UserInputException($"--inference {MeasuredInference} needs an engine to measure on, which is not available here");
        var run = RunDirectory.Prepare(request.OutputDirectory);
        var steps = new EvaluationSteps();
        var (error, kind) = ResolveError(request, source, candidates, run.Path, trainedError, steps);
        // Errors that cost nothing leave nothing to save: the FPTAS would only trade certainty for time it does not need.
        var sampler = error.Free && request.Searcher == "fptas" ? new ExhaustiveSearch() : makeSearcher(request);

        var (inference, measured) = ResolveInference(request, source, candidates, measureLatency);

        SearchResult result;
        SearchProblem problem;
        int spent, reused;
        using (ITrialStore store = workers is null ? new SqliteTrialStore(run.File(SqliteTrialStore.FileName)) : new StudyTrialStore(workers.Queue, workers.Study))
        {
            var evaluator = new ErrorEvaluator(error.Objective, store, error.Repeat, error.Free, steps);
            problem = new SearchProblem(candidates, new ParameterSize(source.Shape),
                inference, source.Architecture, evaluator, request.Epsilon,
                error.CostGrowsWithSize);
            result = SearchLoop.Run(problem, sampler, new SearchLimits(request.Budget, request.MaxEvaluations), progress, cancellation, workers);
            (spent, reused) = (evaluator.Spent, evaluator.Reused);
        }
        if (error.Free && result.Certificate.Kind == CertificateKind.Exact)
            result = result with { Certificate = Certificate.Exact($"errors from {kind} cost nothing, so every candidate was evaluated") };

        var evaluated = Enumerable.Range(0, result.Candidates.Count).Where(k => result.Candidates[k].Error is not null).ToArray();
        var front = EpsilonParetoFront.Build(
                evaluated.Select(k => new ObjectivePoint(result.Candidates[k].Parameters, result.Candidates[k].Inference,
                    result.Candidates[k].Error!.Value)).ToArray(), request.Epsilon)
            .Select(f => evaluated[f]).ToArray();
        var outcome = new SearchOutcome(request, source, space.Name, error.Objective.Identity, result,
            candidates.Select(ξ => ParameterCount.Of(ξ, source.Shape).Effective).ToArray(),
            front, spent, reused, problem.SourceP, problem.SourceI, problem.LargerThanSource.Select(k => candidates[k]).ToArray(),
            clock.Elapsed, measured);

        SearchTables.WriteCandidates(run.File("candidates.csv"), outcome);
        SearchTables.WriteFront(run.File("front.csv"), outcome);
        SearchManifest.Write(run.File("search.json"), outcome);
        return outcome;
    }

    /// <summary>
    /// i(ξ): the operation count, or latency measured on a spread of the candidates and fitted for the rest
    /// (<see cref="FittedLatency"/>). The source joins the candidates the sample spreads over, so that W's i(T) lies in
    /// the fitted range (it is measured when it is the largest, else predicted).
    /// </summary>
    private static (IObjective Inference, MeasuredInference? Measured) ResolveInference(SearchRequest request, Source source,
        IReadOnlyList<Architecture> candidates, LatencyMeasurer? measureLatency)
    {
        if (request.Inference == AnalyticInference) return (new InferenceCost(source.Shape, request.SequenceLength), null);
        var clock = Stopwatch.StartNew();
        var latency = new FittedLatency(candidates.Append(source.Architecture).ToArray(),
            ξ => measureLatency!.Measure(ξ, source.Shape, request.SequenceLength), request.SequenceLength,
            $"{measureLatency!.Engine} latency, batch 1, L = {request.SequenceLength}", LatencyFitted, LatencyHeldOut);
        return (latency, new MeasuredInference(latency, measureLatency.Engine, clock.Elapsed));
    }

    /// <summary>The error a worker evaluates for the search of <paramref name="request"/>: the same objective, built the same way.</summary>
    public static ErrorProvider ErrorFor(SearchRequest request, TrainedErrorFactory? trainedError, EvaluationSteps steps,
        Func<string, Source>? resolveSource = null)
    {
        var source = (resolveSource ?? Source.Resolve)(request.Source);
        var candidates = SearchSpace.Resolve(request.Space ?? source.DefaultSpace).Candidates;
        return ResolveError(request, source, candidates, request.OutputDirectory, trainedError, steps).Error;
    }

    /// <summary>
    /// The error objective and what it is, in words: by default distilled from a source with weights, else trained; a
    /// table when given a file, the proxy when named; a table or the proxy with a simulated cost is stored and searched
    /// as a costly error.
    /// </summary>
    private static (ErrorProvider Error, string Kind) ResolveError(SearchRequest request, Source source,
        IReadOnlyList<Architecture> candidates, string runDirectory, TrainedErrorFactory? trainedError, EvaluationSteps steps)
    {
        var (error, kind) = ResolveFreeOrTrained(request, source, candidates, runDirectory, trainedError, steps);
        if (request.SimulatedCost is not { } cost) return (error, kind);
        if (!error.Free) throw new UserInputException("--simulate-cost applies to an error table or a proxy, not to training (which costs what it costs)");
        return (new ErrorProvider(new SimulatedCost(error.Objective, cost), CostGrowsWithSize: false), $"{kind} at a simulated cost");
    }

    private static (ErrorProvider Error, string Kind) ResolveFreeOrTrained(SearchRequest request, Source source,
        IReadOnlyList<Architecture> candidates, string runDirectory, TrainedErrorFactory? trainedError, EvaluationSteps steps) =>
        (request.Errors ?? (source.Weights is null ? TrainedErrorToken : DistilledErrorToken)) switch
        {
            var kind and (TrainedErrorToken or DistilledErrorToken) =>
                (trainedError?.Invoke(new ErrorContext(source, candidates, runDirectory, request.Epsilon, request.Seed, steps, kind))
                ?? throw new UserInputException($"the {kind} error is not available here: pass --errors FILE or --errors proxy:scaling-law"),
                kind == TrainedErrorToken ? "training" : "distillation"),
            ScalingLawProxy.Token => (new ErrorProvider(new ScalingLawProxy(source.Shape), CostGrowsWithSize: false, Free: true), "the proxy"),
            string path => (new ErrorProvider(ErrorTable.Load(RequireErrorTable(path), candidates), CostGrowsWithSize: false, Free: true), "a table"),
        };

    /// <summary>
    /// An error named neither <c>train</c> nor a known proxy is a table: it must exist. An unknown <c>proxy:NAME</c>
    /// lists the proxies rather than looking for a file of that name.
    /// </summary>
    public static string RequireErrorTable(string path)
    {
        if (path.StartsWith(ProxyPrefix, StringComparison.Ordinal) && !File.Exists(path))
            throw new UserInputException($"unknown error proxy '{path}': the proxies are {ScalingLawProxy.Token}");
        if (!File.Exists(path)) throw new UserInputException($"errors file not found: {path}");
        return path;
    }
}
