namespace Ose.Search;

/// <summary>
/// Which candidates the ε-front accounts for (DESIGN §2.3): candidate c is covered when it is evaluated, or some evaluated f
/// has p_f ≤ (1+ε)p_c, i_f ≤ (1+ε)i_c and e_f ≤ (1+ε)ē_c ≤ (1+ε)e_c, with ē_c its error bound. One sweep in p with a
/// prefix minimum over i (a Fenwick tree), so O(n log n) instead of a scan of the evaluated set per candidate.
/// </summary>
public static class Coverage
{
    /// <param name="lowerBound">ē of each candidate (0 where nothing bounds it), or null when no bounds are kept.</param>
    public static bool[] Of(SearchProblem problem, SearchState state, Func<int, double>? lowerBound)
    {
        var covered = new bool[problem.Count];
        if (lowerBound is null || state.EvaluatedCount == problem.Count)
        {
            // Without bounds only an evaluated candidate can be covered (its own error is unknown otherwise).
            for (int k = 0; k < problem.Count; k++) covered[k] = state.IsEvaluated(k);
            return covered;
        }
        var byParameters = problem.ByParameters;
        var answers = Check(problem, state, lowerBound, byParameters);
        for (int q = 0; q < answers.Length; q++) covered[byParameters[q]] = answers[q];
        return covered;
    }

    /// <summary>Whether each of <paramref name="candidates"/> (in ascending order of p) is covered.</summary>
    public static bool[] Check(SearchProblem problem, SearchState state, Func<int, double>? lowerBound, IReadOnlyList<int> candidates)
    {
        double factor = 1 + problem.Epsilon;
        var p = problem.P;
        var i = problem.I;
        var covered = new bool[candidates.Count];
        var evaluated = new int[state.EvaluatedCount];
        int n = 0;
        foreach (var evaluation in state.Evaluations)
            if (evaluation.Proposal.Repeat == 0) evaluated[n++] = evaluation.Proposal.Candidate;
        if (n == 0) return covered;
        Array.Sort(evaluated.Select(f => p[f]).ToArray(), evaluated);
        var iValues = evaluated.Select(f => i[f]).Distinct().Order().ToArray();
        var tree = new PrefixMinimum(iValues.Length);
        int next = 0;
        for (int q = 0; q < candidates.Count; q++)
        {
            int c = candidates[q];
            if (state.IsEvaluated(c))
            {
                covered[q] = true;
                continue;
            }
            double bound = lowerBound?.Invoke(c) ?? 0;
            if (bound <= 0) continue;
            for (; next < evaluated.Length && p[evaluated[next]] <= factor * p[c]; next++)
                tree.Lower(Array.BinarySearch(iValues, i[evaluated[next]]), state.Error(evaluated[next]));
            int rank = UpperBound(iValues, factor * i[c]);
            covered[q] = rank > 0 && tree.Minimum(rank) <= factor * bound;
        }
        return covered;
    }

    /// <summary>How many values are at most x.</summary>
    private static int UpperBound(double[] sorted, double x)
    {
        int low = 0, high = sorted.Length;
        while (low < high)
        {
            int middle = (low + high) / 2;
            if (sorted[middle] <= x) low = middle + 1; else high = middle;
        }
        return low;
    }

    /// <summary>Fenwick tree of minima over ranks: lower one rank's value, ask the minimum of the first n ranks.</summary>
    private sealed class PrefixMinimum
    {
        private readonly double[] tree;

        public PrefixMinimum(int size)
        {
            tree = new double[size + 1];
            Array.Fill(tree, double.PositiveInfinity);
        }

        public void Lower(int rank, double value)
        {
            for (int j = rank + 1; j < tree.Length; j += j & -j) tree[j] = Math.Min(tree[j], value);
        }

        public double Minimum(int count)
        {
            double minimum = double.PositiveInfinity;
            for (int j = count; j > 0; j -= j & -j) minimum = Math.Min(minimum, tree[j]);
            return minimum;
        }
    }
}
