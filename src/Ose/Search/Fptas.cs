namespace Ose.Search;

/// <summary>
/// The FPTAS of optimal subarchitecture extraction (de Wynter 2020, arXiv 2010.08512), with the error spent only
/// where it can change the answer. W(ξ) = P(ξ)·I(ξ)/e(ξ) is bounded above by P(ξ)·I(ξ)/ē(ξ), with ē the error of
/// an evaluated architecture that dominates ξ (DESIGN §2.3), so:
/// <list type="number">
/// <item>Answer: evaluate until no unevaluated candidate's bound exceeds (1+ε) times the best W found; the
/// answer is then certified within a factor 1+ε of the optimum.</item>
/// <item>Front: evaluate until every candidate is covered by the ε-front within a factor 1+ε on p, i and e
/// (using ē for those not evaluated).</item>
/// </list>
/// Both steps are anytime: when the budget runs out the result carries the certified gap reached so far.
/// Errors already in the trial store cost nothing and are used from the start, so a re-run resumes.
/// </summary>
public sealed class Fptas : ISearcher
{
    public string Name => "fptas";

    public SearchResult Search(SearchProblem problem, SearchLimits limits, IProgress<SearchProgress>? progress,
        CancellationToken cancellation)
    {
        using var clock = new SearchClock(limits, cancellation);
        var state = new SearchState(problem);
        for (int k = 0; k < problem.Count; k++)
            if (problem.Errors.IsKnown(problem.Candidates[k]))
                state.Evaluate(k, cancellation);

        double factor = 1 + problem.Epsilon;
        int? evaluationsToCertify = null;
        while (true)
        {
            var open = OpenForAnswer(problem, state, factor);
            string phase = "answer";
            if (open.Count == 0)
            {
                evaluationsToCertify ??= state.Evaluated.Count;
                open = Uncovered(problem, state);
                phase = "front";
                if (open.Count == 0)
                    return SearchResult.From(Name, problem, state, StopReason.Completed, evaluationsToCertify, clock.Elapsed);
            }
            progress?.Report(new SearchProgress(state.Evaluated.Count, open.Count, phase));
            if (clock.StopBefore(state.Evaluated.Count) is { } reason)
                return SearchResult.From(Name, problem, state, reason, evaluationsToCertify, clock.Elapsed);
            int next = phase == "answer" ? MostBounding(problem, state, open) : MostCovering(problem, open, factor);
            if (clock.EvaluateOrStop(state, next) is { } stopped)
                return SearchResult.From(Name, problem, state, stopped, evaluationsToCertify, clock.Elapsed);
        }
    }

    /// <summary>Unevaluated candidates whose bound still exceeds (1+ε)·W_best (all of them before any evaluation).</summary>
    private static List<int> OpenForAnswer(SearchProblem problem, SearchState state, double factor)
    {
        var open = new List<int>();
        double threshold = state.BestIndex < 0 ? double.NegativeInfinity : factor * state.BestW;
        for (int k = 0; k < problem.Count; k++)
            if (!state.IsEvaluated(k) && state.UpperBound(k) > threshold)
                open.Add(k);
        return open;
    }

    private static List<int> Uncovered(SearchProblem problem, SearchState state) =>
        Enumerable.Range(0, problem.Count).Where(k => !state.IsCovered(k)).ToList();

    /// <summary>
    /// Evaluating a candidate bounds every candidate it dominates, so take the open one that dominates the most
    /// open candidates per unit of evaluation cost ("training large candidates first bounds the small ones", unless
    /// training them costs more than it saves); then the highest bound.
    /// </summary>
    private static int MostBounding(SearchProblem problem, SearchState state, List<int> open) =>
        open.MaxBy(k => (open.Count(j => problem.Candidates[k].Dominates(problem.Candidates[j])) / problem.EvaluationCost[k],
            state.UpperBound(k)));

    /// <summary>
    /// Once evaluated, a candidate covers the uncovered ones it dominates whose p and i are within 1+ε of its own
    /// (their ē is then at least its error), so take the one that would cover the most per unit of cost.
    /// </summary>
    private static int MostCovering(SearchProblem problem, List<int> uncovered, double factor) =>
        uncovered.MaxBy(k => (uncovered.Count(j => problem.Candidates[k].Dominates(problem.Candidates[j])
            && problem.P[k] <= factor * problem.P[j] && problem.I[k] <= factor * problem.I[j]) / problem.EvaluationCost[k], problem.P[k]));
}
