namespace Ose.Search;

/// <summary>The four architectural axes, in the order of <see cref="Architecture"/>.</summary>
public enum Axis
{
    D,
    A,
    H,
    I,
}

/// <summary>
/// The candidates as cells of the grid of their axis values: cell = ((d·|A| + a)·|H| + h)·|I| + i over the sorted
/// distinct values of each axis. One step up an axis is a larger flat index, so anything that flows from larger
/// architectures to smaller ones (bounds, dominance counts) is one pass over the cells in descending order, one
/// neighbour per axis, instead of a comparison of every pair. Cells whose combination is not a candidate
/// (A does not divide H, or a list of candidates that is not a full product) are holes that still pass values on.
/// </summary>
public sealed class SpaceGrid
{
    /// <summary>More cells than this would be a space so sparse that the grid costs more than it saves.</summary>
    private const long MaxCells = 1L << 26;

    private readonly int[][] values;
    private readonly int[] stride;
    private readonly int[] block;
    private readonly Lazy<int[]> coordinates;

    public SpaceGrid(IReadOnlyList<Architecture> candidates)
    {
        values =
        [
            Distinct(candidates, ξ => ξ.D), Distinct(candidates, ξ => ξ.A),
            Distinct(candidates, ξ => ξ.H), Distinct(candidates, ξ => ξ.I),
        ];
        long cells = values.Aggregate(1L, (product, axis) => product * axis.Length);
        if (cells > MaxCells)
            throw new UserInputException($"the space's grid of D, A, H and I values has {cells:N0} cells for {candidates.Count:N0} candidates; " +
                "give each axis fewer values");
        CellCount = (int)cells;
        stride = new int[4];
        stride[(int)Axis.I] = 1;
        for (int axis = 2; axis >= 0; axis--) stride[axis] = stride[axis + 1] * values[axis + 1].Length;

        block = Enumerable.Range(0, 4).Select(axis => stride[axis] * values[axis].Length).ToArray();
        coordinates = new Lazy<int[]>(() =>
        {
            var packed = new int[4 * CellOf!.Length];
            for (int k = 0; k < CellOf.Length; k++)
                for (int axis = 0; axis < 4; axis++) packed[4 * k + axis] = Coordinate(CellOf[k], (Axis)axis);
            return packed;
        });
        CellOf = new int[candidates.Count];
        CandidateAt = new int[CellCount];
        Array.Fill(CandidateAt, -1);
        for (int k = 0; k < candidates.Count; k++)
        {
            var ξ = candidates[k];
            int cell = Index(Axis.D, ξ.D) * stride[0] + Index(Axis.A, ξ.A) * stride[1]
                + Index(Axis.H, ξ.H) * stride[2] + Index(Axis.I, ξ.I);
            if (CandidateAt[cell] >= 0)
                throw new UserInputException($"the space lists {ξ.ToShortString()} twice");
            CellOf[k] = cell;
            CandidateAt[cell] = k;
        }
    }

    public int CellCount { get; }

    /// <summary>The cell of each candidate.</summary>
    public int[] CellOf { get; }

    /// <summary>The candidate in each cell, or -1 for a hole.</summary>
    public int[] CandidateAt { get; }

    public int Length(Axis axis) => values[(int)axis].Length;

    public int Stride(Axis axis) => stride[(int)axis];

    public int Coordinate(int cell, Axis axis) => cell / stride[(int)axis] % values[(int)axis].Length;

    /// <summary>
    /// For each of <paramref name="candidates"/>, how many of them it dominates along the <paramref name="along"/> axes at
    /// equal values of the others, itself included: prefix sums along those axes over the box of cells the candidates span,
    /// so O(box) instead of O(candidates²).
    /// </summary>
    public int[] DominatedCounts(IReadOnlyList<int> candidates, IReadOnlyList<Axis> along)
    {
        var low = new int[4];
        var high = new int[4];
        Array.Fill(low, int.MaxValue);
        foreach (int k in candidates)
            for (int axis = 0; axis < 4; axis++)
            {
                int x = Coordinate(CellOf[k], (Axis)axis);
                low[axis] = Math.Min(low[axis], x);
                high[axis] = Math.Max(high[axis], x);
            }
        var size = new int[4];
        var step = new int[4];
        for (int axis = 3, product = 1; axis >= 0; axis--)
        {
            size[axis] = high[axis] - low[axis] + 1;
            step[axis] = product;
            product *= size[axis];
        }
        var boxOf = new int[candidates.Count];
        for (int q = 0; q < candidates.Count; q++)
            for (int axis = 0; axis < 4; axis++)
                boxOf[q] += (Coordinate(CellOf[candidates[q]], (Axis)axis) - low[axis]) * step[axis];
        var box = new int[size[0] * step[0]];
        foreach (int b in boxOf) box[b] = 1;
        foreach (var axis in along)
        {
            int stride = step[(int)axis], block = stride * size[(int)axis];
            for (int start = 0; start < box.Length; start += block)
                for (int b = start + stride; b < start + block; b++) box[b] += box[b - stride];
        }
        return boxOf.Select(b => box[b]).ToArray();
    }

    /// <summary>The cell one step up <paramref name="axis"/>, or -1 at the top (one remainder, no division).</summary>
    public int Up(int cell, Axis axis) => cell % block[(int)axis] < block[(int)axis] - stride[(int)axis] ? cell + stride[(int)axis] : -1;

    /// <summary>The cell one step down <paramref name="axis"/>, or -1 at the bottom.</summary>
    public int Down(int cell, Axis axis) => cell % block[(int)axis] >= stride[(int)axis] ? cell - stride[(int)axis] : -1;

    /// <summary>
    /// Whether candidate <paramref name="upper"/> is at least candidate <paramref name="lower"/> on every axis in
    /// <paramref name="along"/> and equal on the others, from coordinates computed once per candidate.
    /// </summary>
    public bool CandidateDominates(int upper, int lower, bool[] along)
    {
        var packed = coordinates.Value;
        for (int axis = 0; axis < 4; axis++)
        {
            int u = packed[4 * upper + axis], l = packed[4 * lower + axis];
            if (along[axis] ? u < l : u != l) return false;
        }
        return true;
    }

    /// <summary>
    /// The candidate nearest below <paramref name="candidate"/> along one axis with every other axis unchanged
    /// (skipping holes: below A = 16 at H = 1024 comes A = 8), or -1 if there is none.
    /// </summary>
    public int NextBelow(int candidate, Axis axis)
    {
        for (int cell = Down(CellOf[candidate], axis); cell >= 0; cell = Down(cell, axis))
            if (CandidateAt[cell] >= 0) return CandidateAt[cell];
        return -1;
    }

    /// <summary>The candidate nearest above <paramref name="candidate"/> along one axis with every other axis unchanged, or -1.</summary>
    public int NextAbove(int candidate, Axis axis)
    {
        for (int cell = Up(CellOf[candidate], axis); cell >= 0; cell = Up(cell, axis))
            if (CandidateAt[cell] >= 0) return CandidateAt[cell];
        return -1;
    }

    /// <summary>The axes on which <paramref name="larger"/>'s cell has larger coordinates than <paramref name="smaller"/>'s.</summary>
    public IReadOnlyList<Axis> AxesApart(int largerCell, int smallerCell) =>
        Enum.GetValues<Axis>().Where(axis => Coordinate(largerCell, axis) != Coordinate(smallerCell, axis)).ToArray();

    private int Index(Axis axis, int value) => Array.BinarySearch(values[(int)axis], value);

    private static int[] Distinct(IReadOnlyList<Architecture> candidates, Func<Architecture, int> axis)
    {
        var seen = new HashSet<int>();
        foreach (var ξ in candidates) seen.Add(axis(ξ));
        var sorted = seen.ToArray();
        Array.Sort(sorted);
        return sorted;
    }
}
