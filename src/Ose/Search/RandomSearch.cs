namespace Ose.Search;

/// <summary>
/// Random search: candidates in a seeded random order. Unless told how many, it evaluates a tenth of the space, the
/// usual budget such a baseline is given.
/// </summary>
public sealed class RandomSearch(long seed = 0, int? evaluations = null) : ISampler
{
    private int[]? order;
    private int next;

    public string Name => "random";

    public IReadOnlyList<Proposal> Propose(SearchState state, int slots)
    {
        if (order is null)
        {
            var shuffled = Enumerable.Range(0, state.Problem.Count).ToArray();
            Seeds.Random(seed, 0).Shuffle(shuffled);
            order = shuffled[..Math.Min(shuffled.Length, evaluations ?? DefaultCount(shuffled.Length))];
        }
        return ExhaustiveSearch.InOrder(state, order, ref next, slots, EvaluationPurpose.Explore);
    }

    internal static int DefaultCount(int candidates) => Math.Max(1, (candidates + 9) / 10);
}
