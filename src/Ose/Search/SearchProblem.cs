using Ose.Objectives;

namespace Ose.Search;

/// <summary>
/// What every searcher is given: the candidates Ξ with their cheap objectives p and i already computed, the
/// maximum point T, the approximation parameter ε, and the expensive error behind an evaluator that counts.
/// </summary>
public sealed class SearchProblem
{
    public SearchProblem(IReadOnlyList<Architecture> candidates, IObjective parameters, IObjective inference,
        Architecture source, ErrorEvaluator errors, double epsilon, bool errorCostGrowsWithSize = false)
    {
        if (candidates.Count == 0) throw new UserInputException("the search space has no candidates");
        if (!(epsilon > 0 && epsilon < 1)) throw new UserInputException($"ε must lie in (0, 1), got {epsilon}");
        Candidates = candidates;
        Errors = errors;
        Epsilon = epsilon;
        P = new double[candidates.Count];
        I = new double[candidates.Count];
        for (int k = 0; k < candidates.Count; k++)
        {
            P[k] = parameters.Evaluate(candidates[k]);
            I[k] = inference.Evaluate(candidates[k]);
        }
        SourceP = parameters.Evaluate(source);
        SourceI = inference.Evaluate(source);
        LargerThanSource = Enumerable.Range(0, candidates.Count).Where(k => P[k] > SourceP || I[k] > SourceI).ToArray();
        // T is the source; a space may hold a candidate larger than the source, so T takes the maximum of both.
        PT = Math.Max(SourceP, P.Max());
        IT = Math.Max(SourceI, I.Max());
        grid = new Lazy<SpaceGrid>(() => new SpaceGrid(candidates));
        byParameters = new Lazy<int[]>(() =>
        {
            var order = Enumerable.Range(0, candidates.Count).ToArray();
            Array.Sort(P.ToArray(), order);
            return order;
        });
        CostFactor = P.Zip(I, (p, i) => WCoefficient.CostFactor(p, i, PT, IT)).ToArray();
        // Training a candidate costs about what its forward passes cost; a table lookup costs the same for all.
        double cheapest = I.Min();
        CostGrowsWithSize = errorCostGrowsWithSize;
        EvaluationCost = errorCostGrowsWithSize ? I.Select(i => i / cheapest).ToArray() : Enumerable.Repeat(1.0, I.Length).ToArray();
    }

    private readonly Lazy<SpaceGrid> grid;
    private readonly Lazy<int[]> byParameters;

    public IReadOnlyList<Architecture> Candidates { get; }

    /// <summary>The candidates as cells of the grid of their axis values, built when a searcher first needs it.</summary>
    public SpaceGrid Grid => grid.Value;

    /// <summary>The candidates' indices in ascending order of p.</summary>
    public IReadOnlyList<int> ByParameters => byParameters.Value;

    public ErrorEvaluator Errors { get; }

    public double Epsilon { get; }

    /// <summary>p(ξ) for each candidate, in the order of <see cref="Candidates"/>.</summary>
    public double[] P { get; }

    /// <summary>i(ξ) for each candidate.</summary>
    public double[] I { get; }

    /// <summary>p and i of the source itself.</summary>
    public double SourceP { get; }

    public double SourceI { get; }

    /// <summary>Candidates with more parameters or operations than the source (then T is no longer the source).</summary>
    public IReadOnlyList<int> LargerThanSource { get; }

    public double PT { get; }

    public double IT { get; }

    /// <summary>P(ξ)·I(ξ), the training-free factor of W.</summary>
    public double[] CostFactor { get; }

    /// <summary>Relative cost of evaluating each candidate's error: 1 for all, or proportional to i(ξ) when it is trained.</summary>
    public double[] EvaluationCost { get; }

    /// <summary>Whether a larger candidate costs more to evaluate (training does), so cheap ones should come first.</summary>
    public bool CostGrowsWithSize { get; }

    public int Count => Candidates.Count;
}
