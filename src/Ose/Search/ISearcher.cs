namespace Ose.Search;

/// <summary>A way to choose which candidates to evaluate: the FPTAS, or a baseline to compare it with.</summary>
public interface ISearcher
{
    string Name { get; }

    SearchResult Search(SearchProblem problem, SearchLimits limits, IProgress<SearchProgress>? progress,
        CancellationToken cancellation);
}

/// <summary>
/// When to stop early: a wall-clock budget (checked before each evaluation), a cap on evaluations, and the
/// seed of any randomness.
/// </summary>
public sealed record SearchLimits(TimeSpan? Budget = null, int? MaxEvaluations = null, long Seed = 0);

/// <summary>Evaluations so far and, where a searcher can tell, how many it still plans.</summary>
public sealed record SearchProgress(int Evaluations, int? Remaining, string Phase);

/// <summary>Why a search ended.</summary>
public enum StopReason
{
    /// <summary>The searcher did all it set out to do.</summary>
    Completed,
    BudgetSpent,
    EvaluationCapReached,
    Interrupted,
}
