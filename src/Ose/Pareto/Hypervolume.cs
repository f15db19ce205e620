namespace Ose.Pareto;

/// <summary>
/// The hypervolume of a front over (p, i, e), all minimised: the volume of the objective space its points dominate up to a
/// reference point, the usual single figure of a multi-objective search's progress (Zitzler &amp; Thiele 1998; Optuna plots
/// it over trials). Computed exactly by slicing along e: each slice is the area a 2-D staircase dominates.
/// </summary>
public static class Hypervolume
{
    /// <summary>The volume dominated by <paramref name="points"/> inside the box below <paramref name="reference"/>.</summary>
    public static double Of(IReadOnlyList<ObjectivePoint> points, ObjectivePoint reference)
    {
        var inside = points.Where(x => x.P < reference.P && x.I < reference.I && x.E < reference.E).OrderBy(x => x.E).ToArray();
        double volume = 0;
        for (int k = 0; k < inside.Length; k++)
        {
            double top = k + 1 < inside.Length ? inside[k + 1].E : reference.E;
            if (top > inside[k].E) volume += Area(inside.Take(k + 1), reference) * (top - inside[k].E);
        }
        return volume;
    }

    /// <summary>Beyond this many evaluations the curve is not computed: keeping the exact front would cost too much.</summary>
    public const int MaxEvaluations = 20_000;

    /// <summary>
    /// The hypervolume of the Pareto front of the first n evaluations, at up to <paramref name="checkpoints"/> values of n
    /// spread over the search (empty beyond <see cref="MaxEvaluations"/>); the reference is the source's p and i and 1.1
    /// times the largest error evaluated, so every evaluated point counts and the curve never falls.
    /// </summary>
    public static IReadOnlyList<(int Evaluations, double Volume)> OverEvaluations(IReadOnlyList<ObjectivePoint> inOrder,
        double pT, double iT, int checkpoints = 200)
    {
        if (inOrder.Count == 0 || inOrder.Count > MaxEvaluations) return [];
        var reference = new ObjectivePoint(pT, iT, 1.1 * inOrder.Max(x => x.E));
        var at = Enumerable.Range(1, checkpoints).Select(j => (int)Math.Ceiling((double)j * inOrder.Count / checkpoints)).ToHashSet();
        var front = new List<ObjectivePoint>();
        var curve = new List<(int, double)>();
        for (int n = 1; n <= inOrder.Count; n++)
        {
            var x = inOrder[n - 1];
            if (!front.Any(f => f.P <= x.P && f.I <= x.I && f.E <= x.E))
            {
                front.RemoveAll(f => x.P <= f.P && x.I <= f.I && x.E <= f.E);
                front.Add(x);
            }
            if (at.Contains(n)) curve.Add((n, Of(front, reference)));
        }
        return curve;
    }

    /// <summary>The area of the union of the boxes [p, P_ref] × [i, I_ref] of the points.</summary>
    private static double Area(IEnumerable<ObjectivePoint> points, ObjectivePoint reference)
    {
        double area = 0, lowestI = reference.I;
        var sorted = points.OrderBy(x => x.P).ThenBy(x => x.I).ToArray();
        for (int k = 0; k < sorted.Length; k++)
        {
            lowestI = Math.Min(lowestI, sorted[k].I);
            double right = k + 1 < sorted.Length ? sorted[k + 1].P : reference.P;
            area += (right - sorted[k].P) * (reference.I - lowestI);
        }
        return area;
    }
}
