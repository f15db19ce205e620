namespace Ose.Search;

/// <summary>
/// Random search: evaluate candidates in a seeded random order. Without a cap it evaluates a tenth of the space,
/// the usual budget such a baseline is given.
/// </summary>
public sealed class RandomSearch : ISearcher
{
    public string Name => "random";

    public SearchResult Search(SearchProblem problem, SearchLimits limits, IProgress<SearchProgress>? progress,
        CancellationToken cancellation)
    {
        int[] order = Enumerable.Range(0, problem.Count).ToArray();
        Seeds.Random(limits.Seed, 0).Shuffle(order);
        int cap = limits.MaxEvaluations ?? DefaultCap(problem.Count);
        return ExhaustiveSearch.EvaluateInOrder(Name, problem, order.Take(cap).ToArray(), limits, progress, cancellation);
    }

    internal static int DefaultCap(int candidates) => Math.Max(1, (candidates + 9) / 10);
}
