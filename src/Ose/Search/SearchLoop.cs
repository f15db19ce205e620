namespace Ose.Search;

/// <summary>When to stop early: a wall-clock budget (checked before and during each evaluation) and a cap on evaluations.</summary>
public sealed record SearchLimits(TimeSpan? Budget = null, int? MaxEvaluations = null);

/// <summary>
/// Where a search is: evaluations done, how many more the sampler expects in its current phase (when it can tell), why
/// the evaluation in flight is made, which candidate it is and how far it has got.
/// </summary>
public sealed record SearchProgress(int Evaluations, int? Remaining, EvaluationPurpose Phase, Architecture? InFlight = null,
    EvaluationStep? Step = null);

/// <summary>Why a search ended.</summary>
public enum StopReason
{
    /// <summary>The sampler did all it set out to do.</summary>
    Completed,
    BudgetSpent,
    EvaluationCapReached,
    Interrupted,
}

/// <summary>
/// The one search loop (Optuna's study): ask the sampler what to evaluate, evaluate it through the problem's evaluator,
/// record it, repeat until the sampler is done or a limit stops it; then build the result. The loop owns the clock,
/// the budget, progress and stopping, so every sampler stops the same way.
/// Errors already in the trial store cost nothing, so a re-run replays the same sequence of proposals for free and goes
/// on where the last run stopped: every figure of the result is a function of the inputs and the stored trials, never
/// of when an earlier run was interrupted.
/// </summary>
public static class SearchLoop
{
    public static SearchResult Run(SearchProblem problem, ISampler sampler, SearchLimits? limits = null,
        IProgress<SearchProgress>? progress = null, CancellationToken cancellation = default)
    {
        using var clock = new SearchClock(limits ?? new SearchLimits(), cancellation);
        var state = new SearchState(problem);
        var reason = StopReason.Completed;
        Proposal? inFlight = null;
        problem.Errors.Steps.Listener = step =>
        {
            if (inFlight is { } proposal) progress?.Report(Report(state, proposal, step));
        };
        try
        {
            while (reason == StopReason.Completed)
            {
                var proposals = sampler.Propose(state, 1);
                if (proposals.Count == 0) break;
                foreach (var proposal in proposals)
                {
                    if (clock.StopBefore(state.Evaluations.Count) is { } stop)
                    {
                        reason = stop;
                        break;
                    }
                    inFlight = proposal;
                    progress?.Report(Report(state, proposal, null));
                    if (clock.EvaluateOrStop(Evaluate, (problem, proposal), out double e) is { } stopped)
                    {
                        reason = stopped;
                        break;
                    }
                    state.Record(proposal, e);
                    inFlight = null;
                }
            }
        }
        finally
        {
            problem.Errors.Steps.Listener = null;
        }
        return SearchResult.From(sampler, state, reason, clock.Elapsed);
    }

    private static double Evaluate((SearchProblem Problem, Proposal Proposal) what, CancellationToken cancellation)
    {
        var ξ = what.Problem.Candidates[what.Proposal.Candidate];
        return what.Proposal.Repeat > 0
            ? what.Problem.Errors.EvaluateRepeat(ξ, what.Proposal.Repeat, cancellation)
            : what.Problem.Errors.Evaluate(ξ, cancellation);
    }

    private static SearchProgress Report(SearchState state, Proposal proposal, EvaluationStep? step) =>
        new(state.Evaluations.Count, proposal.Remaining, proposal.Purpose, state.Problem.Candidates[proposal.Candidate], step);
}
