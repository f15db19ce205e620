using System.Diagnostics;

namespace Ose.Search;

/// <summary>
/// Tells the search loop, before each evaluation, whether its limits allow one more, and stops an evaluation in flight
/// when the user interrupts or the time budget runs out (a training evaluation keeps its checkpoints, so the next run
/// resumes it mid-candidate instead of overrunning the budget by a whole training).
/// </summary>
public sealed class SearchClock : IDisposable
{
    /// <summary>The longest delay a timer takes (about 24.8 days); a longer budget is only checked between evaluations.</summary>
    private static readonly TimeSpan LongestTimer = TimeSpan.FromMilliseconds(int.MaxValue - 1);

    private readonly Stopwatch watch = Stopwatch.StartNew();
    private readonly SearchLimits limits;
    private readonly CancellationToken user;
    private readonly CancellationTokenSource userOrBudget;

    public SearchClock(SearchLimits limits, CancellationToken cancellation)
    {
        this.limits = limits;
        user = cancellation;
        userOrBudget = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        if (limits.Budget is { } budget && budget <= LongestTimer) userOrBudget.CancelAfter(budget);
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

    /// <summary>Waits for workers (DESIGN §4) up to <paramref name="delay"/>; null when the wait ran its course, else why it was cut short.</summary>
    public StopReason? Wait(TimeSpan delay) => userOrBudget.Token.WaitHandle.WaitOne(delay)
        ? user.IsCancellationRequested ? StopReason.Interrupted : StopReason.BudgetSpent
        : null;

    /// <summary>Runs one evaluation; null when it completed, else why it was stopped before it finished.</summary>
    public StopReason? EvaluateOrStop<TInput>(Func<TInput, CancellationToken, double> evaluate, TInput input, out double error)
    {
        try
        {
            error = evaluate(input, userOrBudget.Token);
            return null;
        }
        catch (OperationCanceledException) when (userOrBudget.IsCancellationRequested)
        {
            error = double.NaN;
            return user.IsCancellationRequested ? StopReason.Interrupted : StopReason.BudgetSpent;
        }
    }

    public void Dispose() => userOrBudget.Dispose();
}
