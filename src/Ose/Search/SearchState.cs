namespace Ose.Search;

/// <summary>
/// What is known during a search: the errors evaluated so far and what they imply for the rest.
/// Under the papers' assumption that error does not rise with capacity, an evaluated ξ' that dominates ξ
/// (at least as large in D, A, H and I) gives the lower bound ē(ξ) = e(ξ'), hence an upper bound on W(ξ)
/// (DESIGN §2.3). Every searcher reports through this state, so their certificates are comparable.
/// </summary>
public sealed class SearchState
{
    private readonly SearchProblem problem;
    private readonly double[] error;
    private readonly double[] errorLowerBound;
    private readonly List<int> evaluated = [];

    public SearchState(SearchProblem problem)
    {
        this.problem = problem;
        error = Enumerable.Repeat(double.NaN, problem.Count).ToArray();
        errorLowerBound = new double[problem.Count];
    }

    public IReadOnlyList<int> Evaluated => evaluated;

    public int BestIndex { get; private set; } = -1;

    public double BestW => BestIndex < 0 ? double.NaN : W(BestIndex);

    public bool IsEvaluated(int k) => !double.IsNaN(error[k]);

    public double Error(int k) => error[k];

    public double ErrorLowerBound(int k) => errorLowerBound[k];

    public double W(int k) => problem.CostFactor[k] / error[k];

    /// <summary>W(ξ) itself once evaluated; otherwise the bound P·I/ē (infinite while nothing dominates ξ).</summary>
    public double UpperBound(int k) =>
        IsEvaluated(k) ? W(k) : WCoefficient.UpperBound(problem.CostFactor[k], errorLowerBound[k]);

    /// <summary>Evaluates candidate k through the problem's evaluator, unless this search already has.</summary>
    public double Evaluate(int k, CancellationToken cancellation)
    {
        if (!IsEvaluated(k)) Record(k, problem.Errors.Evaluate(problem.Candidates[k], cancellation));
        return error[k];
    }

    public void Record(int k, double e)
    {
        error[k] = e;
        errorLowerBound[k] = e;
        evaluated.Add(k);
        var ξ = problem.Candidates[k];
        for (int j = 0; j < problem.Count; j++)
            if (!IsEvaluated(j) && ξ.Dominates(problem.Candidates[j]))
                errorLowerBound[j] = Math.Max(errorLowerBound[j], e);
        if (BestIndex < 0 || W(k) > BestW || (W(k) == BestW && k < BestIndex)) BestIndex = k;
    }

    /// <summary>
    /// max over unevaluated ξ of the bound on W(ξ), divided by the best W found: the best is within this
    /// factor of the true optimum (1 when nothing left can beat it). Infinite while a candidate is unbounded.
    /// </summary>
    public double CertifiedGap()
    {
        if (BestIndex < 0) return double.PositiveInfinity;
        double bestW = BestW, worst = 1;
        for (int k = 0; k < problem.Count; k++)
            if (!IsEvaluated(k)) worst = Math.Max(worst, UpperBound(k) / bestW);
        return worst;
    }

    /// <summary>
    /// Whether candidate k is accounted for by the ε-front: evaluated, or some evaluated f has
    /// p_f ≤ (1+ε)p_k, i_f ≤ (1+ε)i_k and e_f ≤ (1+ε)ē_k ≤ (1+ε)e_k.
    /// </summary>
    public bool IsCovered(int k)
    {
        if (IsEvaluated(k)) return true;
        double factor = 1 + problem.Epsilon;
        foreach (int f in evaluated)
            if (problem.P[f] <= factor * problem.P[k] && problem.I[f] <= factor * problem.I[k]
                && error[f] <= factor * errorLowerBound[k])
                return true;
        return false;
    }

    /// <summary>Evaluated pairs where the larger architecture has the higher error: the bound's assumption fails.</summary>
    public IReadOnlyList<MonotonicityViolation> MonotonicityViolations()
    {
        var violations = new List<MonotonicityViolation>();
        foreach (int larger in evaluated)
            foreach (int smaller in evaluated)
                if (larger != smaller && problem.Candidates[larger].Dominates(problem.Candidates[smaller])
                    && error[larger] > error[smaller])
                    violations.Add(new MonotonicityViolation(problem.Candidates[larger], error[larger],
                        problem.Candidates[smaller], error[smaller]));
        return violations;
    }
}

/// <summary>A larger architecture that measured a higher error than a smaller one it dominates.</summary>
public sealed record MonotonicityViolation(Architecture Larger, double LargerError, Architecture Smaller, double SmallerError);
