namespace Ose.Search;

/// <summary>One candidate as a search leaves it: its costs, and its error and W if evaluated, else their bounds.</summary>
public sealed record CandidateOutcome(
    Architecture Architecture,
    double Parameters,
    double Inference,
    double? Error,
    double ErrorLowerBound,
    double? W,
    double WUpperBound,
    bool Covered);

/// <summary>What a search found and what it cost.</summary>
public sealed record SearchResult(
    string Searcher,
    IReadOnlyList<CandidateOutcome> Candidates,
    int BestIndex,
    int Evaluations,
    int? EvaluationsToCertify,
    double CertifiedGap,
    StopReason StopReason,
    IReadOnlyList<MonotonicityViolation> MonotonicityViolations,
    TimeSpan Elapsed)
{
    public CandidateOutcome Best => Candidates[BestIndex];

    public int CoveredCount => Candidates.Count(c => c.Covered);

    public static SearchResult From(string searcher, SearchProblem problem, SearchState state, StopReason reason,
        int? evaluationsToCertify, TimeSpan elapsed)
    {
        // Interrupted before anything was evaluated there is nothing to report: the interrupt is what the user is told.
        if (state.BestIndex < 0 && reason == StopReason.Interrupted) throw new OperationCanceledException();
        if (state.BestIndex < 0)
            throw new UserInputException("the search stopped before it finished evaluating any candidate: raise --budget (a training cut short keeps its checkpoints; the next run resumes it)");
        var candidates = Enumerable.Range(0, problem.Count).Select(k => new CandidateOutcome(
            problem.Candidates[k], problem.P[k], problem.I[k],
            state.IsEvaluated(k) ? state.Error(k) : null,
            state.ErrorLowerBound(k),
            state.IsEvaluated(k) ? state.W(k) : null,
            state.UpperBound(k),
            state.IsCovered(k))).ToArray();
        return new SearchResult(searcher, candidates, state.BestIndex, state.Evaluated.Count, evaluationsToCertify,
            state.CertifiedGap(), reason, state.MonotonicityViolations(), elapsed);
    }
}
