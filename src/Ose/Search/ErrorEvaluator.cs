using System.Diagnostics;
using Ose.Objectives;
using Ose.Store;

namespace Ose.Search;

/// <summary>
/// The only way a searcher obtains e(ξ). It reuses what the trial store already holds, records each new
/// evaluation the moment it completes, and counts both: the count of new evaluations is the cost of a search.
/// </summary>
public sealed class ErrorEvaluator
{
    private readonly IObjective error;
    private readonly ITrialStore store;
    private readonly Dictionary<Architecture, double> known;

    public ErrorEvaluator(IObjective error, ITrialStore store)
    {
        this.error = error;
        this.store = store;
        known = store.Load(error.Identity).ToDictionary(t => t.Architecture, t => t.Error);
    }

    /// <summary>Evaluations performed by this process.</summary>
    public int Spent { get; private set; }

    /// <summary>Evaluations answered from the store (an earlier run, or earlier in this one).</summary>
    public int Reused { get; private set; }

    public bool IsKnown(Architecture ξ) => known.ContainsKey(ξ);

    public double Evaluate(Architecture ξ, CancellationToken cancellation = default)
    {
        if (known.TryGetValue(ξ, out double stored))
        {
            Reused++;
            return stored;
        }
        var clock = Stopwatch.StartNew();
        double e = error.Evaluate(ξ, cancellation);
        if (!double.IsFinite(e) || e <= 0)
            throw new UserInputException($"error of {ξ.ToShortString()} is {e}; W needs a finite positive error");
        store.Record(new Trial(error.Identity, ξ, e, clock.Elapsed.TotalSeconds, DateTimeOffset.UtcNow));
        known[ξ] = e;
        Spent++;
        return e;
    }
}
