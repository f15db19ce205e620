namespace Ose.Search;

/// <summary>One candidate as a search leaves it: its costs, its error and W if evaluated, else the bounds the search kept.</summary>
public readonly record struct CandidateOutcome(
    Architecture Architecture,
    double Parameters,
    double Inference,
    double? Error,
    double? ErrorLowerBound,
    double? W,
    double? WUpperBound,
    bool Covered,
    EvaluationPurpose? Purpose);

/// <summary>What a search found, what it can promise about it, and what it cost.</summary>
public sealed record SearchResult(
    string Searcher,
    IReadOnlyList<CandidateOutcome> Candidates,
    int BestIndex,
    int Evaluations,
    int? EvaluationsToCertify,
    Certificate Certificate,
    StopReason StopReason,
    IReadOnlyList<MonotonicityViolation> MonotonicityViolations,
    IReadOnlyList<BoundChange> BoundChanges,
    IReadOnlyList<Evaluation> History,
    TimeSpan Elapsed)
{
    public CandidateOutcome Best => Candidates[BestIndex];

    public int CoveredCount => Candidates.Count(c => c.Covered);

    /// <summary>Candidates evaluated (repeats not counted).</summary>
    public int Evaluated => Candidates.Count(c => c.Error is not null);

    public static SearchResult From(ISampler sampler, SearchState state, StopReason reason, TimeSpan elapsed)
    {
        var problem = state.Problem;
        // Interrupted before anything was evaluated there is nothing to report: the interrupt is what the user is told.
        if (state.BestIndex < 0 && reason == StopReason.Interrupted) throw new OperationCanceledException();
        if (state.BestIndex < 0)
            throw new UserInputException("the search stopped before any candidate's evaluation finished: raise --budget " +
                "(a training cut short keeps its checkpoints; the next run resumes it)");
        var bounds = sampler.Bounds;
        var purpose = new EvaluationPurpose?[problem.Count];
        foreach (var evaluation in state.Evaluations)
            if (evaluation.Proposal.Repeat == 0) purpose[evaluation.Proposal.Candidate] = evaluation.Proposal.Purpose;
        var covered = Coverage.Of(problem, state, bounds is null ? null : bounds.ErrorLowerBound);
        var candidates = new CandidateOutcome[problem.Count];
        for (int k = 0; k < problem.Count; k++)
        {
            bool evaluated = state.IsEvaluated(k);
            candidates[k] = new CandidateOutcome(problem.Candidates[k], problem.P[k], problem.I[k],
                evaluated ? state.Error(k) : null,
                bounds?.ErrorLowerBound(k),
                evaluated ? state.W(k) : null,
                evaluated ? state.W(k) : bounds?.UpperBound(k),
                covered[k], purpose[k]);
        }
        var (certificate, certifiedAfter) = Certify(sampler, state, reason);
        return new SearchResult(sampler.Name, candidates, state.BestIndex, state.Evaluations.Count, certifiedAfter,
            certificate, reason, MonotonicityCheck.Of(state, bounds?.ToleranceFactor ?? 1), bounds?.Changes ?? [],
            state.Evaluations, elapsed);
    }

    /// <summary>Exact when every candidate is evaluated; else the sampler's audited certificate; else none, and why.</summary>
    private static (Certificate, int?) Certify(ISampler sampler, SearchState state, StopReason reason)
    {
        var problem = state.Problem;
        if (state.EvaluatedCount == problem.Count)
            return (Certificate.Exact("every candidate was evaluated"), sampler.Certification?.AfterEvaluations ?? state.Evaluations.Count);
        if (sampler.Certification is { } certification && state.BestW > 0)
        {
            double gap = Math.Max(1, certification.LargestBound / state.BestW);
            return (certification.Certificate with { Gap = gap }, certification.AfterEvaluations);
        }
        int left = problem.Count - state.EvaluatedCount;
        string why = reason switch
        {
            StopReason.BudgetSpent => "the budget ran out",
            StopReason.EvaluationCapReached => "the evaluation cap was reached",
            StopReason.Interrupted => "the search was interrupted",
            _ => $"{sampler.Name} does not bound the candidates it leaves",
        };
        string stage = sampler.Bounds is null ? "" : " before the answer was bounded and audited";
        return (Certificate.None($"{why}{stage}, with {left} of {problem.Count} candidates unevaluated"), null);
    }
}
