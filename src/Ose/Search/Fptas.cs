namespace Ose.Search;

/// <summary>
/// The FPTAS of optimal subarchitecture extraction (de Wynter 2020, arXiv 2010.08512) as branch and bound, with the error
/// spent only where it can change the answer: W(ξ) = P(ξ)·I(ξ)/e(ξ) ≤ P(ξ)·I(ξ)/ē(ξ) with ē from
/// <see cref="DominanceBounds"/>. It proposes, in order:
/// <list type="number">
/// <item>First: the cheapest candidate, when larger candidates cost more to evaluate, so an answer exists early; for a
/// noisy error, two repeats of it with other seeds give the noise tolerance τ.</item>
/// <item>Bound: of the open candidates (unbounded, or bound above (1+ε)·W_best), the one that bounds the most open ones per
/// unit of evaluation cost (large ones bound the small), until none is open; after the first, its neighbours one step below
/// along D, H and I and one step along A (probes: a rise refutes the axis, no rise along A lets bounds cross A).</item>
/// <item>Audit: a seeded random sample of the pruned candidates (<see cref="Search.Audit"/>). Clean, it certifies
/// the answer; a violation withdraws bounds, re-opens what they pruned, and the search goes back to bounding.</item>
/// <item>Front: candidates of the (1+ε)-grid cells the ε-front does not yet cover, until it covers every candidate.
/// A violation found here withdraws the certificate as well, and the search bounds and audits again.</item>
/// </list>
/// Every choice is a function of the search state (ties go to the lower index), so a re-run replays the same
/// proposals and the same certificate.
/// </summary>
public sealed class Fptas(long seed = 0) : ISampler
{
    /// <summary>Evaluations of the first candidate that measure a noisy error's spread: its own and two other seeds.</summary>
    public const int NoiseEvaluations = 3;

    /// <summary>Below this many open candidates, counts are kept and decremented instead of recomputed.</summary>
    private const int SmallOpenSet = 2048;

    private enum Phase { Start, Repeat, Bound, Audit, Front, Done }

    private readonly Queue<int> probes = new();
    private readonly Queue<int> batch = new();
    private readonly HashSet<int> inFlight = [];
    private readonly List<int> closed = [];
    private DominanceBounds? bounds;
    private Phase phase = Phase.Start;
    private int fed, repeatsProposed, first = -1, bounder = -1, headsProbe = -1;
    private int withdrawals, auditRound, auditWithdrawals, auditPopulation;
    private int[]? auditSample;
    // The open candidates and how many open ones each dominates; the uncovered ones of the front phase.
    private List<int> open = [], uncovered = [];
    private int[]? dominated;
    private int openVersion = -1, dominatedVersion = -1, counted, uncoveredVersion = -1;

    public string Name => "fptas";

    public DominanceBounds? Bounds => bounds;

    public Certification? Certification { get; private set; }

    /// <summary>
    /// 1+τ from repeated evaluations of one candidate: the square of the ratio of the largest to the smallest, since a rise
    /// between two candidates compounds the noise of both evaluations.
    /// </summary>
    public static double NoiseTolerance(IReadOnlyList<double> errors) => Math.Pow(errors.Max() / errors.Min(), 2);

    public IReadOnlyList<Proposal> Propose(SearchState state, int slots)
    {
        bounds ??= new DominanceBounds(state.Problem);
        Feed(state);
        var proposals = new List<Proposal>(slots);
        while (proposals.Count < slots && Next(state) is { } proposal)
        {
            proposals.Add(proposal);
            if (proposal.Repeat == 0) inFlight.Add(proposal.Candidate);
        }
        return proposals;
    }

    /// <summary>Takes the evaluations made since the last proposal into the bounds.</summary>
    private void Feed(SearchState state)
    {
        for (; fed < state.Evaluations.Count; fed++)
        {
            var (proposal, e) = state.Evaluations[fed];
            if (proposal.Repeat > 0) continue;
            int k = proposal.Candidate;
            inFlight.Remove(k);
            if (bounds!.Add(k, e))
            {
                withdrawals++;
                Certification = null;
                if (phase is Phase.Audit or Phase.Front)
                {
                    phase = Phase.Bound;
                    batch.Clear();
                    auditSample = null;
                }
            }
        }
        // After the whole feed: with several evaluations in flight (workers), the bounder and its neighbour along A may
        // arrive together, and both must be in the bounds before the heads are measured.
        if (headsProbe >= 0) MeasureHeads(state);
    }

    /// <summary>Bounds cross A once, of the first bounder and its neighbour along A, the one with more heads measured no more than (1+τ) times the other.</summary>
    private void MeasureHeads(SearchState state)
    {
        if (!state.IsEvaluated(bounder) || !state.IsEvaluated(headsProbe)) return;
        var (larger, smaller) = state.Problem.Candidates[bounder].A > state.Problem.Candidates[headsProbe].A
            ? (bounder, headsProbe) : (headsProbe, bounder);
        if (state.Error(larger) <= bounds!.ToleranceFactor * state.Error(smaller)) bounds.Trust(Axis.A, larger, smaller);
        headsProbe = -1;
    }

    private Proposal? Next(SearchState state)
    {
        var problem = state.Problem;
        while (true)
        {
            switch (phase)
            {
                case Phase.Start:
                    phase = Phase.Repeat;
                    if (problem.CostGrowsWithSize || problem.Errors.CanRepeat)
                    {
                        first = Enumerable.Range(0, problem.Count).MinBy(k => (problem.EvaluationCost[k], k));
                        if (!state.IsEvaluated(first)) return new Proposal(first, EvaluationPurpose.First);
                    }
                    break;

                case Phase.Repeat:
                    if (first < 0 || !problem.Errors.CanRepeat)
                    {
                        phase = Phase.Bound;
                        break;
                    }
                    repeatsProposed = Math.Max(repeatsProposed, state.RepeatErrors(first).Count);
                    if (repeatsProposed < NoiseEvaluations - 1)
                    {
                        repeatsProposed++;
                        return new Proposal(first, EvaluationPurpose.Repeat, repeatsProposed, NoiseEvaluations - 1 - repeatsProposed);
                    }
                    if (!state.IsEvaluated(first) || state.RepeatErrors(first).Count < NoiseEvaluations - 1) return null;
                    bounds!.SetTolerance(NoiseTolerance([state.Error(first), .. state.RepeatErrors(first)]));
                    phase = Phase.Bound;
                    break;

                case Phase.Bound:
                    if (NextToBound(state) is { } bound) return bound;
                    if (inFlight.Count > 0) return null;
                    phase = Phase.Audit;
                    break;

                case Phase.Audit:
                    if (NextToAudit(state) is { } audit) return audit;
                    if (inFlight.Count > 0) return null;
                    break;

                case Phase.Front:
                    if (NextToCover(state) is { } cover) return cover;
                    if (inFlight.Count > 0) return null;
                    phase = Phase.Done;
                    break;

                default:
                    return null;
            }
        }
    }

    private Proposal? NextToBound(SearchState state)
    {
        var problem = state.Problem;
        while (probes.TryDequeue(out int probe))
            if (!state.IsEvaluated(probe) && !inFlight.Contains(probe))
                return new Proposal(probe, EvaluationPurpose.Probe, Remaining: probes.Count);
        int next = MostBounding(state);
        if (next < 0) return null;
        if (bounder < 0) Probe(state, next);
        return new Proposal(next, EvaluationPurpose.Bound);
    }

    /// <summary>
    /// Queues the first bounder's neighbours one step below along each capacity axis and one step along A (below, or above
    /// when it has the fewest heads), to measure the axes before leaning on them.
    /// </summary>
    private void Probe(SearchState state, int k)
    {
        bounder = k;
        var grid = state.Problem.Grid;
        foreach (var axis in Enum.GetValues<Axis>())
        {
            int neighbour = grid.NextBelow(k, axis);
            if (axis == Axis.A)
            {
                if (neighbour < 0) neighbour = grid.NextAbove(k, axis);
                headsProbe = neighbour;
            }
            if (neighbour >= 0 && !state.IsEvaluated(neighbour)) probes.Enqueue(neighbour);
        }
        if (headsProbe >= 0 && state.IsEvaluated(headsProbe) && state.IsEvaluated(k)) MeasureHeads(state);
    }

    /// <summary>
    /// Of the open candidates (unevaluated, bound above (1+ε)·W_best, or unbounded), the one whose evaluation would bound the
    /// most open candidates per unit of evaluation cost, then the highest bound, then the lowest index: training large
    /// candidates first bounds the small ones, unless training them costs more than it saves (DESIGN §2.3). -1 when nothing
    /// is open. The open set only shrinks until the bounds are recomputed, so it is kept and filtered. The counts are prefix
    /// sums over the box of cells the open candidates span; while more than <see cref="SmallOpenSet"/> are open they are
    /// recounted each time the open set halves (in between they overstate, which only delays a few choices), then kept
    /// exact by taking each closed candidate off the counts of those that dominate it.
    /// </summary>
    private int MostBounding(SearchState state)
    {
        var problem = state.Problem;
        var grid = problem.Grid;
        double threshold = state.BestIndex < 0 ? double.NegativeInfinity : (1 + problem.Epsilon) * state.BestW;
        if (openVersion != bounds!.Version)
        {
            open = Enumerable.Range(0, problem.Count).ToList();
            openVersion = bounds.Version;
        }
        closed.Clear();
        open.RemoveAll(k =>
        {
            if (IsOpen(state, k, threshold)) return false;
            closed.Add(k);
            return true;
        });
        if (open.Count == 0) return -1;

        if (dominatedVersion != bounds.Version || (open.Count > SmallOpenSet ? 2 * open.Count <= counted : counted > SmallOpenSet))
        {
            dominated ??= new int[problem.Count];
            var counts = grid.DominatedCounts(open, bounds.TrustedAxes);
            for (int x = 0; x < open.Count; x++) dominated[open[x]] = counts[x];
            dominatedVersion = bounds.Version;
            counted = open.Count;
        }
        else if (open.Count <= SmallOpenSet)
        {
            // Few are open: take the closed ones off the counts of the open candidates that dominate them.
            var along = Enum.GetValues<Axis>().Select(bounds.IsTrusted).ToArray();
            foreach (int j in closed)
                foreach (int k in open)
                    if (grid.CandidateDominates(k, j, along)) dominated![k]--;
        }

        int best = -1;
        double bestScore = 0, bestBound = 0;
        for (int x = 0; x < open.Count; x++)
        {
            int k = open[x];
            double score = dominated![k] / problem.EvaluationCost[k], bound = bounds.UpperBound(k);
            if (best < 0 || score > bestScore || (score == bestScore && (bound > bestBound || (bound == bestBound && k < best))))
                (best, bestScore, bestBound) = (k, score, bound);
        }
        return best;
    }

    /// <summary>Whether coordinate <paramref name="upper"/> bounds <paramref name="lower"/>: at least it along a trusted axis, equal to it along another.</summary>
    private static bool Covers(int upper, int lower, bool trusted) => trusted ? upper >= lower : upper == lower;

    private bool IsOpen(SearchState state, int k, double threshold) =>
        !state.IsEvaluated(k) && !inFlight.Contains(k) && bounds!.UpperBound(k) > threshold;

    private Proposal? NextToAudit(SearchState state)
    {
        var problem = state.Problem;
        if (auditSample is null)
        {
            var pruned = Enumerable.Range(0, problem.Count).Where(k => !state.IsEvaluated(k)).ToArray();
            auditSample = Audit.Sample(pruned, seed, auditRound++);
            auditPopulation = pruned.Length;
            auditWithdrawals = withdrawals;
            foreach (int k in auditSample) batch.Enqueue(k);
        }
        while (batch.TryDequeue(out int k))
            if (!state.IsEvaluated(k)) return new Proposal(k, EvaluationPurpose.Audit, Remaining: batch.Count);
        if (inFlight.Count > 0) return null;

        if (withdrawals == auditWithdrawals) Certify(state);
        auditSample = null;
        phase = withdrawals == auditWithdrawals ? Phase.Front : Phase.Bound;
        return null;
    }

    private void Certify(SearchState state)
    {
        var problem = state.Problem;
        double largest = 0;
        for (int k = 0; k < problem.Count; k++)
            if (!state.IsEvaluated(k)) largest = Math.Max(largest, bounds!.UpperBound(k));
        var certificate = new Certificate(CertificateKind.Bounds, null, "", bounds!.TrustedAxes, bounds.ToleranceFactor,
            problem.Errors.CanRepeat ? NoiseEvaluations : 0, auditPopulation, auditSample!.Length,
            bounds.Changes.Count(c => c.Kind == BoundChangeKind.BoundsWithdrawn));
        Certification = new Certification(certificate, largest, state.Evaluations.Count);
    }

    /// <summary>
    /// Per cell of the (1+ε)-log grid over (p, i) holding uncovered candidates, the largest of them (it tends to the lowest
    /// error, which covers its cell-mates); the coverage is recomputed when the batch is spent.
    /// </summary>
    private Proposal? NextToCover(SearchState state)
    {
        var problem = state.Problem;
        if (batch.Count == 0 && inFlight.Count == 0)
        {
            // Covered stays covered until bounds are withdrawn (bounds and evaluations only grow), so only the rest is checked.
            if (uncoveredVersion != bounds!.Version)
            {
                uncovered = [.. problem.ByParameters];
                uncoveredVersion = bounds.Version;
            }
            var covered = Coverage.Check(problem, state, bounds.ErrorLowerBound, uncovered);
            uncovered = uncovered.Where((_, q) => !covered[q]).ToList();
            double logBase = Math.Log(1 + problem.Epsilon);
            var representative = new Dictionary<(long, long), int>();
            foreach (int k in uncovered)
            {
                var cell = (Pareto.EpsilonParetoFront.Cell(problem.P[k], logBase), Pareto.EpsilonParetoFront.Cell(problem.I[k], logBase));
                if (!representative.TryGetValue(cell, out int held)
                    || (problem.P[k], problem.I[k], -k).CompareTo((problem.P[held], problem.I[held], -held)) > 0)
                    representative[cell] = k;
            }
            foreach (int k in representative.Values.Order()) batch.Enqueue(k);
        }
        while (batch.TryDequeue(out int k))
            if (!state.IsEvaluated(k) && !inFlight.Contains(k)) return new Proposal(k, EvaluationPurpose.Front, Remaining: batch.Count);
        return null;
    }
}
