using Ose.Store;

namespace Ose.Search;

/// <summary>Evaluations done by worker processes through a queue (DESIGN §4): the study's trials, up to <see cref="InFlight"/> at once.</summary>
public sealed record Workers(TrialQueue Queue, long Study, int InFlight);

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
    /// <summary>How often a search whose workers evaluate looks at the queue: at first soon, then less often, up to the last.</summary>
    private static readonly TimeSpan FirstPoll = TimeSpan.FromMilliseconds(10), LastPoll = TimeSpan.FromMilliseconds(200);

    /// <param name="workers">
    /// Where evaluations run when not in this process: the sampler's proposals go to a queue in rounds of up to
    /// <see cref="Workers.InFlight"/>, and the loop records each round's errors in the order proposed once all are in, so
    /// the result is a function of the inputs, the stored trials and the round size, never of which worker was faster.
    /// </param>
    public static SearchResult Run(SearchProblem problem, ISampler sampler, SearchLimits? limits = null,
        IProgress<SearchProgress>? progress = null, CancellationToken cancellation = default, Workers? workers = null)
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
                var proposals = sampler.Propose(state, workers?.InFlight ?? 1);
                if (proposals.Count == 0) break;
                if (workers is not null)
                {
                    reason = RunRound(workers, state, proposals, clock, progress) ?? StopReason.Completed;
                    continue;
                }
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

    /// <summary>
    /// Enqueues the proposals not stored yet, waits until workers have completed every one, and records them in the order
    /// proposed. A limit that allows fewer evaluations than proposed takes the first ones; a trial that failed its last
    /// attempt ends the search with its error.
    /// </summary>
    private static StopReason? RunRound(Workers workers, SearchState state, IReadOnlyList<Proposal> proposals, SearchClock clock,
        IProgress<SearchProgress>? progress)
    {
        var problem = state.Problem;
        var errors = problem.Errors;
        int done = state.Evaluations.Count;
        var round = proposals.TakeWhile((_, n) => clock.StopBefore(done + n) is null).ToList();
        if (round.Count == 0) return clock.StopBefore(done);
        var specs = round.Select(p => new TrialSpec(errors.IdentityOf(p.Repeat), problem.Candidates[p.Candidate], p.Repeat)).ToList();
        var toEvaluate = specs.Where(spec => !errors.TryKnown(spec.Identity, spec.Architecture, out _)).ToHashSet();
        workers.Queue.Enqueue(workers.Study, toEvaluate);
        progress?.Report(Report(state, round[0], null));
        var results = new Dictionary<TrialSpec, double>();
        var poll = FirstPoll;
        int heard = 0;
        while (toEvaluate.Count > 0)
        {
            foreach (var trial in workers.Queue.Trials(workers.Study))
            {
                var spec = trial.Spec;
                if (!toEvaluate.Contains(spec) || results.ContainsKey(spec)) continue;
                if (trial.State == TrialState.Complete) results[spec] = trial.Error!.Value;
                else if (trial.State == TrialState.Failed)
                    throw new UserInputException($"the evaluation of {spec.Architecture.ToShortString()} failed {trial.Attempt} time(s), "
                        + $"the last with: {trial.Failure}; fix the cause and run the search again (it retries failed trials)");
            }
            if (results.Count == toEvaluate.Count) break;
            if (results.Count > heard) (heard, poll) = (results.Count, FirstPoll);
            if (clock.Wait(poll) is { } stopped) return stopped;
            poll = TimeSpan.FromTicks(Math.Min(2 * poll.Ticks, LastPoll.Ticks));
        }
        for (int n = 0; n < round.Count; n++)
        {
            var spec = specs[n];
            double e = results.TryGetValue(spec, out double measured)
                ? errors.Learn(spec.Identity, spec.Architecture, measured, spent: true)
                : errors.Learn(spec.Identity, spec.Architecture, Known(errors, spec), spent: false);
            state.Record(round[n], e);
        }
        return round.Count < proposals.Count ? clock.StopBefore(state.Evaluations.Count) : null;
    }

    private static double Known(ErrorEvaluator errors, TrialSpec spec) =>
        errors.TryKnown(spec.Identity, spec.Architecture, out double e) ? e : throw new InvalidOperationException($"{spec} is not stored");

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
