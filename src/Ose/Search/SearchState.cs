namespace Ose.Search;

/// <summary>One completed evaluation: what was asked for and the error measured.</summary>
public readonly record struct Evaluation(Proposal Proposal, double Error);

/// <summary>
/// What is known during a search: the evaluations so far, in the order they were made, and the best W among them.
/// Samplers read it to decide what comes next; only <see cref="SearchLoop"/> records into it.
/// </summary>
public sealed class SearchState
{
    private readonly double[] error;
    private readonly List<Evaluation> evaluations;
    private readonly Dictionary<int, List<double>> repeats = [];

    public SearchState(SearchProblem problem)
    {
        Problem = problem;
        // Most searches of a large space evaluate all of it (a free error), so room for every candidate from the start.
        evaluations = new List<Evaluation>(problem.Count);
        error = new double[problem.Count];
        Array.Fill(error, double.NaN);
    }

    public SearchProblem Problem { get; }

    /// <summary>Every evaluation in order, repeats included.</summary>
    public IReadOnlyList<Evaluation> Evaluations => evaluations;

    /// <summary>Candidates evaluated (repeats not counted).</summary>
    public int EvaluatedCount { get; private set; }

    public int BestIndex { get; private set; } = -1;

    public double BestW => BestIndex < 0 ? double.NaN : W(BestIndex);

    public bool IsEvaluated(int k) => !double.IsNaN(error[k]);

    public double Error(int k) => error[k];

    public double W(int k) => Problem.CostFactor[k] / error[k];

    /// <summary>The errors measured for candidate k with other seeds.</summary>
    public IReadOnlyList<double> RepeatErrors(int k) => repeats.TryGetValue(k, out var list) ? list : [];

    public void Record(Proposal proposal, double e)
    {
        int k = proposal.Candidate;
        if (proposal.Repeat > 0)
        {
            if (!repeats.TryGetValue(k, out var list)) repeats[k] = list = [];
            list.Add(e);
        }
        else
        {
            if (IsEvaluated(k)) throw new InvalidOperationException($"{Problem.Candidates[k]} was evaluated twice");
            error[k] = e;
            EvaluatedCount++;
            if (BestIndex < 0 || W(k) > BestW || (W(k) == BestW && k < BestIndex)) BestIndex = k;
        }
        evaluations.Add(new Evaluation(proposal, e));
    }
}
