namespace Ose.Search;

/// <summary>The baseline every other searcher is measured against: evaluate every candidate, largest first.</summary>
public sealed class ExhaustiveSearch : ISearcher
{
    public string Name => "exhaustive";

    public SearchResult Search(SearchProblem problem, SearchLimits limits, IProgress<SearchProgress>? progress,
        CancellationToken cancellation) =>
        EvaluateInOrder(Name, problem, Enumerable.Range(0, problem.Count).OrderByDescending(k => problem.P[k]).ToArray(),
            limits, progress, cancellation);

    /// <summary>Evaluates candidates in the given order until done or a limit stops it.</summary>
    internal static SearchResult EvaluateInOrder(string searcher, SearchProblem problem, IReadOnlyList<int> order,
        SearchLimits limits, IProgress<SearchProgress>? progress, CancellationToken cancellation)
    {
        using var clock = new SearchClock(limits, cancellation);
        var state = new SearchState(problem);
        for (int n = 0; n < order.Count; n++)
        {
            progress?.Report(new SearchProgress(n, order.Count - n, "evaluate"));
            if (clock.StopBefore(n) is { } reason)
                return SearchResult.From(searcher, problem, state, reason, null, clock.Elapsed);
            if (clock.EvaluateOrStop(state, order[n]) is { } stopped)
                return SearchResult.From(searcher, problem, state, stopped, null, clock.Elapsed);
        }
        return SearchResult.From(searcher, problem, state, StopReason.Completed, null, clock.Elapsed);
    }
}
