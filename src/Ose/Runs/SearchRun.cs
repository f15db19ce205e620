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

    public static SearchOutcome Execute(SearchRequest request, IProgress<SearchProgress>? progress, CancellationToken cancellation)
    {
        var clock = Stopwatch.StartNew();
        if (!(request.Epsilon > 0 && request.Epsilon < 1))
            throw new UserInputException($"--epsilon must lie strictly between 0 and 1, got {request.Epsilon}");
        if (!Searchers.TryGetValue(request.Searcher, out var makeSearcher))
            throw new UserInputException($"unknown searcher '{request.Searcher}': use one of {string.Join(", ", Searchers.Keys)}");
        if (request.MaxEvaluations is <= 0)
            throw new UserInputException($"--max-evaluations must be positive, got {request.MaxEvaluations}");

        var source = Source.Resolve(request.Source);
        var space = SearchSpace.Resolve(request.Space);
        var candidates = space.Candidates;
        var error = ResolveError(request.Errors, source, candidates);
        var run = RunDirectory.Prepare(request.OutputDirectory);

        SearchResult result;
        int spent, reused;
        using (var store = new SqliteTrialStore(run.File(SqliteTrialStore.FileName)))
        {
            var evaluator = new ErrorEvaluator(error, store);
            var problem = new SearchProblem(candidates, new ParameterSize(source.Shape),
                new InferenceCost(source.Shape, request.SequenceLength), source.Architecture, evaluator, request.Epsilon);
            var limits = new SearchLimits(request.Budget, request.MaxEvaluations, request.Seed);
            result = makeSearcher().Search(problem, limits, progress, cancellation);
            (spent, reused) = (evaluator.Spent, evaluator.Reused);
        }

        var evaluated = Enumerable.Range(0, result.Candidates.Count).Where(k => result.Candidates[k].Error is not null).ToArray();
        var front = EpsilonParetoFront.Build(
                evaluated.Select(k => new ObjectivePoint(result.Candidates[k].Parameters, result.Candidates[k].Inference,
                    result.Candidates[k].Error!.Value)).ToArray(), request.Epsilon)
            .Select(f => evaluated[f]).ToArray();
        var outcome = new SearchOutcome(request, source, space.Name, error.Identity, result,
            candidates.Select(ξ => ParameterCount.Of(ξ, source.Shape).Effective).ToArray(),
            front, spent, reused, clock.Elapsed);

        SearchTables.WriteCandidates(run.File("candidates.csv"), outcome);
        SearchTables.WriteFront(run.File("front.csv"), outcome);
        ParetoPlot.Write(run.File("front.png"), run.File("front.svg"), outcome);
        SearchManifest.Write(run.File("search.json"), outcome);
        return outcome;
    }

    /// <summary>The error objective: a table when given a file, the named proxy when asked for it by name.</summary>
    private static IObjective ResolveError(string? errors, Source source, IReadOnlyList<Architecture> candidates) =>
        errors switch
        {
            null => throw new UserInputException(
                $"no error objective: pass --errors FILE (a CSV with columns D,A,H,I,error) or --errors {ScalingLawProxy.Token}"),
            ScalingLawProxy.Token => new ScalingLawProxy(source.Shape),
            _ => ErrorTable.Load(errors, candidates),
        };
}
