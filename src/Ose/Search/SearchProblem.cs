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
        P = candidates.Select(ξ => parameters.Evaluate(ξ)).ToArray();
        I = candidates.Select(ξ => inference.Evaluate(ξ)).ToArray();
        // T is the source; a space may hold a candidate larger than the source, so T takes the maximum of both.
        PT = Math.Max(parameters.Evaluate(source), P.Max());
        IT = Math.Max(inference.Evaluate(source), I.Max());
        CostFactor = P.Zip(I, (p, i) => WCoefficient.CostFactor(p, i, PT, IT)).ToArray();
        // Training a candidate costs about what its forward passes cost; a table lookup costs the same for all.
        EvaluationCost = errorCostGrowsWithSize ? I.Select(i => i / I.Min()).ToArray() : Enumerable.Repeat(1.0, I.Length).ToArray();
    }

    public IReadOnlyList<Architecture> Candidates { get; }

    public ErrorEvaluator Errors { get; }

    public double Epsilon { get; }

    /// <summary>p(ξ) for each candidate, in the order of <see cref="Candidates"/>.</summary>
    public double[] P { get; }

    /// <summary>i(ξ) for each candidate.</summary>
    public double[] I { get; }

    public double PT { get; }

    public double IT { get; }

    /// <summary>P(ξ)·I(ξ), the training-free factor of W.</summary>
    public double[] CostFactor { get; }

    /// <summary>Relative cost of evaluating each candidate's error: 1 for all, or proportional to i(ξ) when it is trained.</summary>
    public double[] EvaluationCost { get; }

    public int Count => Candidates.Count;
}
