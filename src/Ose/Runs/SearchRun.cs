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
    public static IReadOnlyDictionary<string, Func<ISearcher>> Searchers { get; } = new Dictionary<string, Func<ISearcher>>
    {
        ["fptas"] = () => new Fptas(),
        ["exhaustive"] = () => new ExhaustiveSearch(),
        ["random"] = () => new RandomSearch(),
        ["nsga2"] = () => new Nsga2(),
    };

    /// <summary>The error used when none is named: bounded training of each candidate.</summary>
    public const string TrainedErrorToken = "train";

    public static SearchOutcome Execute(SearchRequest request, TrainedErrorFactory? trainedError,
        IProgress<SearchProgress>? progress, CancellationToken cancellation)
    {
        var clock = Stopwatch.StartNew();
        if (!(request.Epsilon > 0 && request.Epsilon < 1))
            throw new UserInputException($"--epsilon must lie strictly between 0 and 1, got {request.Epsilon}");
        if (!Searchers.TryGetValue(request.Searcher, out var makeSearcher))
            throw new UserInputException($"unknown searcher '{request.Searcher}': use one of {string.Join(", ", Searchers.Keys)}");
        if (request.MaxEvaluations is <= 0)
            throw new UserInputException($"--max-evaluations must be positive, got {request.MaxEvaluations}");

        var source = Source.Resolve(request.Source);
        var space = SearchSpace.Resolve(request.Space ?? source.DefaultSpace);
        var candidates = space.Candidates;
        var run = RunDirectory.Prepare(request.OutputDirectory);
        var error = ResolveError(request, source, candidates, run, trainedError);

        SearchResult result;
        int spent, reused;
        using (var store = new SqliteTrialStore(run.File(SqliteTrialStore.FileName)))
        {
            var evaluator = new ErrorEvaluator(error.Objective, store);
            var problem = new SearchProblem(candidates, new ParameterSize(source.Shape),
                new InferenceCost(source.Shape, request.SequenceLength), source.Architecture, evaluator, request.Epsilon,
                error.CostGrowsWithSize);
            var limits = new SearchLimits(request.Budget, request.MaxEvaluations, request.Seed);
            result = makeSearcher().Search(problem, limits, progress, cancellation);
            (spent, reused) = (evaluator.Spent, evaluator.Reused);
        }

        var evaluated = Enumerable.Range(0, result.Candidates.Count).Where(k => result.Candidates[k].Error is not null).ToArray();
        var front = EpsilonParetoFront.Build(
                evaluated.Select(k => new ObjectivePoint(result.Candidates[k].Parameters, result.Candidates[k].Inference,
                    result.Candidates[k].Error!.Value)).ToArray(), request.Epsilon)
            .Select(f => evaluated[f]).ToArray();
        var outcome = new SearchOutcome(request, source, space.Name, error.Objective.Identity, result,
            candidates.Select(ξ => ParameterCount.Of(ξ, source.Shape).Effective).ToArray(),
            front, spent, reused, clock.Elapsed);

        SearchTables.WriteCandidates(run.File("candidates.csv"), outcome);
        SearchTables.WriteFront(run.File("front.csv"), outcome);
        SearchManifest.Write(run.File("search.json"), outcome);
        return outcome;
    }

    /// <summary>The error objective: trained by default, a table when given a file, the proxy when named.</summary>
    private static ErrorProvider ResolveError(SearchRequest request, Source source, IReadOnlyList<Architecture> candidates,
        RunDirectory run, TrainedErrorFactory? trainedError) =>
        (request.Errors ?? TrainedErrorToken) switch
        {
            TrainedErrorToken => trainedError?.Invoke(new ErrorContext(source, candidates, run.Path, request.Epsilon, request.Seed))
                ?? throw new UserInputException("training-based error is not available here: pass --errors FILE or --errors proxy:scaling-law"),
            ScalingLawProxy.Token => new ErrorProvider(new ScalingLawProxy(source.Shape), CostGrowsWithSize: false),
            string path => new ErrorProvider(ErrorTable.Load(path, candidates), CostGrowsWithSize: false),
        };
}
