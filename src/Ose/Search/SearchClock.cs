using System.Diagnostics;

namespace Ose.Search;

/// <summary>
/// Tells a searcher, before each evaluation, whether its limits allow one more, and stops an evaluation in flight when
/// the user interrupts or the time budget runs out (a training evaluation keeps its checkpoints, so the next run
/// resumes it mid-candidate instead of overrunning the budget by a whole training).
/// </summary>
public sealed class SearchClock : IDisposable
{
    private readonly Stopwatch watch = Stopwatch.StartNew();
    private readonly SearchLimits limits;
    private readonly CancellationToken user;
    private readonly CancellationTokenSource userOrBudget;

    public SearchClock(SearchLimits limits, CancellationToken cancellation)
    {
        this.limits = limits;
        user = cancellation;
        userOrBudget = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        if (limits.Budget is { } budget) userOrBudget.CancelAfter(budget);
    }

    public TimeSpan Elapsed => watch.Elapsed;

    /// <summary>The reason to stop now, or null to go on.</summary>
    public StopReason? StopBefore(int evaluationsSoFar)
    {
        if (user.IsCancellationRequested) return StopReason.Interrupted;
        if (limits.Budget is { } budget && watch.Elapsed >= budget) return StopReason.BudgetSpent;
        if (limits.MaxEvaluations is { } cap && evaluationsSoFar >= cap) return StopReason.EvaluationCapReached;
        return null;
    }

    /// <summary>Evaluates candidate k; null when done, else why it was stopped before it finished.</summary>
    public StopReason? EvaluateOrStop(SearchState state, int k)
    {
        try
        {
            state.Evaluate(k, userOrBudget.Token);
            return null;
        }
        catch (OperationCanceledException) when (userOrBudget.IsCancellationRequested)
        {
            return user.IsCancellationRequested ? StopReason.Interrupted : StopReason.BudgetSpent;
        }
    }

    public void Dispose() => userOrBudget.Dispose();
}
