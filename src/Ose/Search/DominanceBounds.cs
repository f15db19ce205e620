namespace Ose.Search;

/// <summary>What evidence can do to the bounds.</summary>
public enum BoundChangeKind
{
    /// <summary>A rise along one axis only: bounds no longer cross that axis.</summary>
    AxisRefuted,

    /// <summary>A measurement along A found no rise: bounds cross A.</summary>
    AxisTrusted,

    /// <summary>A rise between candidates apart on several axes: the larger one bounds nothing any more.</summary>
    BoundsWithdrawn,
}

/// <summary>What the evidence did to the bounds, and the pair of evaluations that showed it.</summary>
public sealed record BoundChange(BoundChangeKind Kind, Axis? Axis, Architecture Larger, double LargerError, Architecture Smaller,
    double SmallerError)
{
    public string What => Kind switch
    {
        BoundChangeKind.AxisRefuted => $"axis {Axis} refuted",
        BoundChangeKind.AxisTrusted => $"axis {Axis} trusted (measured)",
        _ => $"bounds of {Larger.ToShortString()} withdrawn",
    };
}

/// <summary>
/// Lower bounds on the error of unevaluated candidates (DESIGN §2.3): ē(ξ) = max e(ξ')/(1+τ) over evaluated ξ' that
/// are at least ξ on every trusted axis and equal to it on the others, so W(ξ) ≤ P(ξ)·I(ξ)/ē(ξ).
/// <list type="bullet">
/// <item>D, H and I are capacity axes until the evidence refutes them; the heads A change p and i by under 0.01% and are
/// no capacity axis, so bounds cross A only once a measurement along A (<see cref="Trust"/>) supports it.</item>
/// <item>τ is the noise tolerance: a rise within 1+τ is noise, not a violation, and bounds are divided by it.</item>
/// <item>A violation, an evaluated pair ξ' ⪰ ξ on the trusted axes with e(ξ') &gt; (1+τ)·e(ξ), withdraws what produced
/// the false bound: the axis, when the pair differs on one axis only (the evidence no longer supports it), else the
/// larger evaluation's bounds. Everything it pruned is re-opened, because the bounds are recomputed without it.</item>
/// </list>
/// Bounds flow over the <see cref="SpaceGrid"/>: adding an evaluation raises ē in its down-set and stops where ē is
/// already as high, so a search costs about the cells whose bound changes, not the pairs of candidates.
/// </summary>
public sealed class DominanceBounds
{
    private readonly SearchProblem problem;
    private readonly SpaceGrid grid;
    private readonly bool[] trusted = [true, false, true, true];
    private readonly double[] lower;
    private readonly double[] error;
    private readonly bool[] withdrawn;
    private readonly List<int> evaluated = [];
    private readonly List<BoundChange> changes = [];
    private readonly Stack<int> pending = new();

    public DominanceBounds(SearchProblem problem)
    {
        this.problem = problem;
        grid = problem.Grid;
        lower = new double[grid.CellCount];
        error = new double[problem.Count];
        Array.Fill(error, double.NaN);
        withdrawn = new bool[problem.Count];
        UnboundedCount = problem.Count;
    }

    /// <summary>1+τ: how far an error may rise with capacity and still count as noise.</summary>
    public double ToleranceFactor { get; private set; } = 1;

    /// <summary>Changes with every recomputation from scratch (after a change of axes, tolerance or withdrawals).</summary>
    public int Version { get; private set; }

    /// <summary>Unevaluated candidates that nothing bounds yet.</summary>
    public int UnboundedCount { get; private set; }

    public IReadOnlyList<BoundChange> Changes => changes;

    public bool IsTrusted(Axis axis) => trusted[(int)axis];

    public IReadOnlyList<Axis> TrustedAxes => Enum.GetValues<Axis>().Where(IsTrusted).ToArray();

    public bool IsWithdrawn(int k) => withdrawn[k];

    /// <summary>ē of candidate k: its own error if evaluated (divided by 1+τ), else what its dominators imply (0: none).</summary>
    public double ErrorLowerBound(int k) => lower[grid.CellOf[k]];

    /// <summary>The bound P·I/ē on W of an unevaluated candidate (infinite while nothing bounds it).</summary>
    public double UpperBound(int k) => WCoefficient.UpperBound(problem.CostFactor[k], lower[grid.CellOf[k]]);

    /// <summary>
    /// Takes in one evaluation. Returns whether the bounds were withdrawn in part (a violation was found), in which case
    /// everything is recomputed and <see cref="Version"/> changes.
    /// </summary>
    public bool Add(int k, double e)
    {
        int cell = grid.CellOf[k];
        bool wasUnbounded = lower[cell] == 0;
        error[k] = e;
        evaluated.Add(k);
        if (wasUnbounded) UnboundedCount--;

        var violations = new List<(int Larger, int Smaller)>();
        // Below an evaluated candidate: some dominator measured more than (1+τ)·e, i.e. its bound e(ξ')/(1+τ) exceeds e.
        bool below = lower[cell] > e;
        int self = evaluated.Count - 1;
        for (int j = 0; j < self; j++)
        {
            int other = evaluated[j];
            if (below && !withdrawn[other] && error[other] > ToleranceFactor * e && grid.CandidateDominates(other, k, trusted))
                violations.Add((other, k));
            // Above: it measured more than a candidate it dominates.
            else if (e > ToleranceFactor * error[other] && grid.CandidateDominates(k, other, trusted))
                violations.Add((k, other));
        }

        if (violations.Count == 0)
        {
            Raise(cell, e / ToleranceFactor);
            return false;
        }
        foreach (var (larger, smaller) in violations.OrderBy(v => v.Larger).ThenBy(v => v.Smaller)) Withdraw(larger, smaller);
        Recompute();
        return true;
    }

    /// <summary>Bounds start crossing <paramref name="axis"/>: a measurement along it found no rise.</summary>
    public void Trust(Axis axis, int larger, int smaller)
    {
        if (trusted[(int)axis]) return;
        trusted[(int)axis] = true;
        changes.Add(new BoundChange(BoundChangeKind.AxisTrusted, axis, problem.Candidates[larger], error[larger],
            problem.Candidates[smaller], error[smaller]));
        Recompute();
    }

    /// <summary>Sets 1+τ from repeated evaluations; bounds are recomputed with it.</summary>
    public void SetTolerance(double factor)
    {
        if (!(factor >= 1)) throw new ArgumentOutOfRangeException(nameof(factor), "1+τ must be at least 1");
        ToleranceFactor = factor;
        Recompute();
    }

    private void Withdraw(int larger, int smaller)
    {
        var apart = grid.AxesApart(grid.CellOf[larger], grid.CellOf[smaller]);
        BoundChange change;
        if (apart.Count == 1 && trusted[(int)apart[0]])
        {
            trusted[(int)apart[0]] = false;
            change = new BoundChange(BoundChangeKind.AxisRefuted, apart[0], problem.Candidates[larger], error[larger],
                problem.Candidates[smaller], error[smaller]);
        }
        else if (!withdrawn[larger])
        {
            withdrawn[larger] = true;
            change = new BoundChange(BoundChangeKind.BoundsWithdrawn, null, problem.Candidates[larger], error[larger],
                problem.Candidates[smaller], error[smaller]);
        }
        else return;
        changes.Add(change);
    }

    /// <summary>Raises ē to at least <paramref name="value"/> from <paramref name="start"/> down every trusted axis.</summary>
    private void Raise(int start, double value)
    {
        pending.Push(start);
        while (pending.Count > 0)
        {
            int cell = pending.Pop();
            if (lower[cell] >= value) continue;
            int k = grid.CandidateAt[cell];
            if (lower[cell] == 0 && k >= 0 && double.IsNaN(error[k])) UnboundedCount--;
            lower[cell] = value;
            for (int axis = 0; axis < 4; axis++)
                if (trusted[axis] && grid.Down(cell, (Axis)axis) is var down and >= 0 && lower[down] < value)
                    pending.Push(down);
        }
    }

    /// <summary>ē from scratch: each cell takes its own bound and the largest of its neighbours one step up a trusted axis.</summary>
    private void Recompute()
    {
        Array.Clear(lower);
        foreach (int k in evaluated)
            if (!withdrawn[k]) lower[grid.CellOf[k]] = error[k] / ToleranceFactor;
        for (int cell = grid.CellCount - 1; cell >= 0; cell--)
            for (int axis = 0; axis < 4; axis++)
                if (trusted[axis] && grid.Up(cell, (Axis)axis) is var above and >= 0 && lower[above] > lower[cell])
                    lower[cell] = lower[above];
        UnboundedCount = 0;
        for (int k = 0; k < problem.Count; k++)
            if (double.IsNaN(error[k]) && lower[grid.CellOf[k]] == 0) UnboundedCount++;
        Version++;
    }
}
