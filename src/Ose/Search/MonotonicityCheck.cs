namespace Ose.Search;

/// <summary>A larger architecture that measured a higher error than a smaller one it dominates.</summary>
public sealed record MonotonicityViolation(Architecture Larger, double LargerError, Architecture Smaller, double SmallerError);

/// <summary>
/// Where the evaluated errors contradict "error falls with capacity": for each evaluated ξ, the evaluated ξ' that is at
/// least as large in D, H and I at the same A and measured the highest error, when that error exceeds (1+τ)·e(ξ).
/// One pair per smaller candidate, in the order of the candidates, so the list is a function of the evaluations only.
/// </summary>
public static class MonotonicityCheck
{
    public static IReadOnlyList<MonotonicityViolation> Of(SearchState state, double toleranceFactor)
    {
        var problem = state.Problem;
        var grid = problem.Grid;
        // Over each cell's up-set (itself included): the highest evaluated error and whose it is.
        var highest = new double[grid.CellCount];
        var owner = new int[grid.CellCount];
        Array.Fill(owner, -1);
        var violations = new List<MonotonicityViolation>();
        var strict = new (double Error, int Owner)[problem.Count];
        int lengthD = grid.Length(Axis.D), lengthA = grid.Length(Axis.A), lengthH = grid.Length(Axis.H), lengthI = grid.Length(Axis.I);
        int strideD = grid.Stride(Axis.D), strideH = grid.Stride(Axis.H);
        // Descending cells, with their coordinates as loop counters instead of divisions.
        for (int d = lengthD - 1; d >= 0; d--)
            for (int a = lengthA - 1; a >= 0; a--)
                for (int h = lengthH - 1; h >= 0; h--)
                    for (int i = lengthI - 1; i >= 0; i--)
                    {
                        int cell = ((d * lengthA + a) * lengthH + h) * lengthI + i;
                        double above = 0;
                        int aboveOwner = -1;
                        void Consider(int up)
                        {
                            if (owner[up] >= 0 && (highest[up] > above || (highest[up] == above && owner[up] < aboveOwner)))
                                (above, aboveOwner) = (highest[up], owner[up]);
                        }
                        if (d + 1 < lengthD) Consider(cell + strideD);
                        if (h + 1 < lengthH) Consider(cell + strideH);
                        if (i + 1 < lengthI) Consider(cell + 1);
                        (highest[cell], owner[cell]) = (above, aboveOwner);
                        int k = grid.CandidateAt[cell];
                        if (k < 0 || !state.IsEvaluated(k)) continue;
                        strict[k] = (above, aboveOwner);
                        if (state.Error(k) > highest[cell] || owner[cell] < 0) (highest[cell], owner[cell]) = (state.Error(k), k);
                    }
        for (int k = 0; k < problem.Count; k++)
            if (state.IsEvaluated(k) && strict[k].Owner >= 0 && strict[k].Error > toleranceFactor * state.Error(k))
                violations.Add(new MonotonicityViolation(problem.Candidates[strict[k].Owner], strict[k].Error,
                    problem.Candidates[k], state.Error(k)));
        return violations;
    }
}
