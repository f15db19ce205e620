namespace Ose.Pareto;

/// <summary>A point in objective space; all three objectives are minimised and must be positive.</summary>
public readonly record struct ObjectivePoint(double P, double I, double E);

/// <summary>
/// An ε-Pareto front over (p, i, e) in the manner of Papadimitriou &amp; Yannakakis 2000: a subset F such that
/// every point c has some f ∈ F with p_f ≤ (1+ε)p_c, i_f ≤ (1+ε)i_c and e_f ≤ e_c ≤ (1+ε)e_c.
/// The (p, i) plane is cut into cells of the (1+ε)-log grid; each cell keeps its point of least error, and
/// representatives dominated by another representative are dropped (the dominating one covers what they covered).
/// So |F| is at most the number of occupied (p, i) cells, ⌈log_{1+ε}(p_max/p_min)+1⌉·⌈log_{1+ε}(i_max/i_min)+1⌉:
/// polynomial in 1/ε.
/// </summary>
public static class EpsilonParetoFront
{
    /// <summary>Indices into <paramref name="points"/> of the front, ordered by p then i.</summary>
    public static IReadOnlyList<int> Build(IReadOnlyList<ObjectivePoint> points, double epsilon)
    {
        if (!(epsilon > 0)) throw new ArgumentOutOfRangeException(nameof(epsilon), "ε must be positive");
        double logBase = Math.Log(1 + epsilon);
        var representative = new Dictionary<(long, long), int>();
        for (int k = 0; k < points.Count; k++)
        {
            var point = points[k];
            var cell = (Cell(point.P, logBase), Cell(point.I, logBase));
            if (!representative.TryGetValue(cell, out int held) || IsBetterInCell(point, points[held]))
                representative[cell] = k;
        }

        // Sorting by (p, i, e) means a point can only be dominated by one before it.
        var candidates = representative.Values
            .OrderBy(k => points[k].P).ThenBy(k => points[k].I).ThenBy(k => points[k].E).ThenBy(k => k).ToArray();
        var front = new List<int>();
        foreach (int k in candidates)
            if (!front.Any(f => WeaklyDominates(points[f], points[k])))
                front.Add(k);
        return front;
    }

    /// <summary>The index of x's cell on the (1+ε)-log grid: values in one cell differ by less than a factor 1+ε.</summary>
    public static long Cell(double x, double logBase) => (long)Math.Floor(Math.Log(x) / logBase);

    private static bool IsBetterInCell(ObjectivePoint x, ObjectivePoint y) =>
        x.E < y.E || (x.E == y.E && (x.P < y.P || (x.P == y.P && x.I < y.I)));

    private static bool WeaklyDominates(ObjectivePoint x, ObjectivePoint y) => x.P <= y.P && x.I <= y.I && x.E <= y.E;
}
