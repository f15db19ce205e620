namespace Ose.Search;

/// <summary>
/// The baseline every other sampler is measured against, and the search for errors that cost nothing: every candidate,
/// cheapest first when cost grows with size (so a budget cut short still leaves answers), else in the space's order.
/// </summary>
public sealed class ExhaustiveSearch : ISampler
{
    private int[]? order;
    private int next;

    public string Name => "exhaustive";

    public IReadOnlyList<Proposal> Propose(SearchState state, int slots)
    {
        var problem = state.Problem;
        order ??= problem.CostGrowsWithSize
            ? Enumerable.Range(0, problem.Count).OrderBy(k => problem.EvaluationCost[k]).ThenBy(k => k).ToArray()
            : Enumerable.Range(0, problem.Count).ToArray();
        return InOrder(state, order, ref next, slots, EvaluationPurpose.Explore);
    }

    /// <summary>The next unevaluated candidates of a fixed order, from position <paramref name="next"/> on.</summary>
    internal static IReadOnlyList<Proposal> InOrder(SearchState state, IReadOnlyList<int> order, ref int next, int slots,
        EvaluationPurpose purpose)
    {
        if (slots == 1)
        {
            // The common case, once per candidate: one small array instead of a list.
            for (; next < order.Count; next++)
                if (!state.IsEvaluated(order[next]))
                {
                    var proposal = new Proposal(order[next], purpose, Remaining: order.Count - next - 1);
                    next++;
                    return [proposal];
                }
            return [];
        }
        var proposals = new List<Proposal>(slots);
        for (; next < order.Count && proposals.Count < slots; next++)
            if (!state.IsEvaluated(order[next]))
                proposals.Add(new Proposal(order[next], purpose, Remaining: order.Count - next - 1));
        return proposals;
    }
}
