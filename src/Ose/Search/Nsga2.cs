namespace Ose.Search;

/// <summary>
/// NSGA-II (Deb et al. 2002) over the grid of D, A, H and I, minimising (p, i, e): the usual multi-objective
/// baseline. Children are made by binary tournament on (front rank, crowding distance), uniform crossover and
/// one-step mutation; a child where A does not divide H is repaired to the nearest candidate of the space.
/// Without a cap it may evaluate a tenth of the space, like <see cref="RandomSearch"/>.
/// </summary>
public sealed class Nsga2 : ISearcher
{
    private const int PopulationSize = 16;
    private const int StaleGenerationsToStop = 20;

    public string Name => "nsga2";

    public SearchResult Search(SearchProblem problem, SearchLimits limits, IProgress<SearchProgress>? progress,
        CancellationToken cancellation)
    {
        using var clock = new SearchClock(limits with { MaxEvaluations = limits.MaxEvaluations ?? RandomSearch.DefaultCap(problem.Count) },
            cancellation);
        var state = new SearchState(problem);
        var random = Seeds.Random(limits.Seed, 0);
        var grid = new Grid(problem);
        int populationSize = Math.Min(PopulationSize, problem.Count);

        var population = Enumerable.Range(0, problem.Count).OrderBy(_ => random.Next()).Take(populationSize).ToList();
        int stale = 0;
        for (int generation = 0; ; generation++)
        {
            foreach (int k in population.Where(k => !state.IsEvaluated(k)).Distinct().ToArray())
            {
                progress?.Report(new SearchProgress(state.Evaluated.Count, null, $"generation {generation}"));
                if (clock.StopBefore(state.Evaluated.Count) is { } reason)
                    return SearchResult.From(Name, problem, state, reason, null, clock.Elapsed);
                if (clock.EvaluateOrStop(state, k) is { } stopped)
                    return SearchResult.From(Name, problem, state, stopped, null, clock.Elapsed);
            }
            population = population.Distinct().ToList();
            var (rank, crowding) = RankAndCrowd(problem, state, population);

            int evaluatedBefore = state.Evaluated.Count;
            var children = new List<int>();
            for (int attempt = 0; children.Count < populationSize && attempt < 20 * populationSize; attempt++)
            {
                int a = Tournament(population, rank, crowding, random), b = Tournament(population, rank, crowding, random);
                int child = grid.Mutate(grid.Crossover(a, b, random), random);
                if (!population.Contains(child) && !children.Contains(child)) children.Add(child);
            }
            if (children.Count == 0 || stale >= StaleGenerationsToStop)
                return SearchResult.From(Name, problem, state, StopReason.Completed, null, clock.Elapsed);

            foreach (int k in children.Where(k => !state.IsEvaluated(k)))
            {
                if (clock.StopBefore(state.Evaluated.Count) is { } reason)
                    return SearchResult.From(Name, problem, state, reason, null, clock.Elapsed);
                if (clock.EvaluateOrStop(state, k) is { } stopped)
                    return SearchResult.From(Name, problem, state, stopped, null, clock.Elapsed);
            }
            stale = state.Evaluated.Count == evaluatedBefore ? stale + 1 : 0;

            var merged = population.Concat(children).Distinct().ToList();
            var (mergedRank, mergedCrowding) = RankAndCrowd(problem, state, merged);
            population = merged.OrderBy(k => mergedRank[k]).ThenByDescending(k => mergedCrowding[k]).ThenBy(k => k)
                .Take(populationSize).ToList();
        }
    }

    private static int Tournament(List<int> population, Dictionary<int, int> rank, Dictionary<int, double> crowding, Random random)
    {
        int a = population[random.Next(population.Count)], b = population[random.Next(population.Count)];
        if (rank[a] != rank[b]) return rank[a] < rank[b] ? a : b;
        return crowding[a] >= crowding[b] ? a : b;
    }

    /// <summary>Fast non-dominated sorting and crowding distance over (p, i, e) of evaluated members.</summary>
    private static (Dictionary<int, int> Rank, Dictionary<int, double> Crowding) RankAndCrowd(
        SearchProblem problem, SearchState state, List<int> members)
    {
        double[] Objectives(int k) => [problem.P[k], problem.I[k], state.Error(k)];
        var objectives = members.ToDictionary(k => k, Objectives);
        var rank = new Dictionary<int, int>();
        var crowding = members.ToDictionary(k => k, _ => 0.0);
        var remaining = new List<int>(members);
        for (int front = 0; remaining.Count > 0; front++)
        {
            var current = remaining.Where(k => !remaining.Any(j => Dominates(objectives[j], objectives[k]))).ToList();
            foreach (int k in current) rank[k] = front;
            for (int m = 0; m < 3; m++)
            {
                var sorted = current.OrderBy(k => objectives[k][m]).ToList();
                double span = objectives[sorted[^1]][m] - objectives[sorted[0]][m];
                crowding[sorted[0]] = crowding[sorted[^1]] = double.PositiveInfinity;
                for (int s = 1; s < sorted.Count - 1 && span > 0; s++)
                    crowding[sorted[s]] += (objectives[sorted[s + 1]][m] - objectives[sorted[s - 1]][m]) / span;
            }
            remaining.RemoveAll(current.Contains);
        }
        return (rank, crowding);
    }

    private static bool Dominates(double[] x, double[] y) =>
        x.Zip(y).All(pair => pair.First <= pair.Second) && x.Zip(y).Any(pair => pair.First < pair.Second);

    /// <summary>The space as a grid of value indices, so variation moves one step along D, A, H or I.</summary>
    private sealed class Grid
    {
        private readonly int[][] values;
        private readonly int[][] genes;
        private readonly Dictionary<Architecture, int> index;

        public Grid(SearchProblem problem)
        {
            var c = problem.Candidates;
            values = [Sorted(c.Select(x => x.D)), Sorted(c.Select(x => x.A)), Sorted(c.Select(x => x.H)), Sorted(c.Select(x => x.I))];
            genes = c.Select(x => new[]
            {
                Array.IndexOf(values[0], x.D), Array.IndexOf(values[1], x.A), Array.IndexOf(values[2], x.H), Array.IndexOf(values[3], x.I),
            }).ToArray();
            index = Enumerable.Range(0, c.Count).ToDictionary(k => c[k]);
        }

        public int[] Crossover(int a, int b, Random random) =>
            Enumerable.Range(0, 4).Select(g => random.Next(2) == 0 ? genes[a][g] : genes[b][g]).ToArray();

        /// <summary>Each gene moves one step up or down with probability 1/4, then the child is repaired.</summary>
        public int Mutate(int[] child, Random random)
        {
            for (int g = 0; g < 4; g++)
                if (random.Next(4) == 0)
                    child[g] = Math.Clamp(child[g] + (random.Next(2) == 0 ? -1 : 1), 0, values[g].Length - 1);
            var ξ = new Architecture(values[0][child[0]], values[1][child[1]], values[2][child[2]], values[3][child[3]]);
            if (index.TryGetValue(ξ, out int k)) return k;
            // Not in the space (A does not divide H): the nearest candidate by steps on the grid.
            return Enumerable.Range(0, genes.Length).MinBy(j => genes[j].Zip(child, (x, y) => Math.Abs(x - y)).Sum());
        }

        private static int[] Sorted(IEnumerable<int> xs) => xs.Distinct().Order().ToArray();
    }
}
