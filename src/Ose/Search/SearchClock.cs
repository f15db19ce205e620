using System.Diagnostics;

namespace Ose.Search;

/// <summary>Tells a searcher, before each evaluation, whether its limits allow one more.</summary>
public sealed class SearchClock(SearchLimits limits, CancellationToken cancellation)
{
    private readonly Stopwatch watch = Stopwatch.StartNew();

    public TimeSpan Elapsed => watch.Elapsed;

    /// <summary>The reason to stop now, or null to go on.</summary>
    public StopReason? StopBefore(int evaluationsSoFar)
    {
        if (cancellation.IsCancellationRequested) return StopReason.Interrupted;
        if (limits.Budget is { } budget && watch.Elapsed >= budget) return StopReason.BudgetSpent;
        if (limits.MaxEvaluations is { } cap && evaluationsSoFar >= cap) return StopReason.EvaluationCapReached;
        return null;
    }

    /// <summary>Evaluates candidate k; false when the user interrupted the evaluation.</summary>
    public bool TryEvaluate(SearchState state, int k)
    {
        try
        {
            state.Evaluate(k, cancellation);
            return true;
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            return false;
        }
    }
}
