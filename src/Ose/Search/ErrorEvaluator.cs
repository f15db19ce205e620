using System.Diagnostics;
using Ose.Objectives;
using Ose.Store;

namespace Ose.Search;

/// <summary>How far the evaluation in flight is: training steps done of those planned, and the time left at this pace.</summary>
public sealed record EvaluationStep(int Step, int Steps, TimeSpan Remaining);

/// <summary>Where an objective reports the steps of the evaluation in flight; the search loop listens.</summary>
public sealed class EvaluationSteps : IProgress<EvaluationStep>
{
    public Action<EvaluationStep>? Listener { get; set; }

    public void Report(EvaluationStep value) => Listener?.Invoke(value);
}

/// <summary>
/// The only way a search obtains e(ξ). A costly error is read back from the trial store when it is there and recorded
/// the moment it completes, and both are counted: the count of new evaluations is the cost of a search. A free error
/// (a table, a proxy) is neither stored nor looked up: recomputing it costs nothing.
/// </summary>
public sealed class ErrorEvaluator
{
    private readonly IObjective error;
    private readonly ITrialStore store;
    private readonly Func<int, IObjective>? repeat;
    private readonly Dictionary<int, IObjective> repeats = [];
    private readonly Dictionary<string, Dictionary<Architecture, double>> known = [];

    /// <param name="repeat">The same error with the r-th other seed, for an error whose evaluations are noisy.</param>
    public ErrorEvaluator(IObjective error, ITrialStore store, Func<int, IObjective>? repeat = null, bool free = false,
        EvaluationSteps? steps = null)
    {
        this.error = error;
        this.store = store;
        this.repeat = repeat;
        Free = free;
        Steps = steps ?? new EvaluationSteps();
    }

    public bool Free { get; }

    /// <summary>Whether the error can be evaluated again with another seed, to measure its noise.</summary>
    public bool CanRepeat => repeat is not null;

    public EvaluationSteps Steps { get; }

    /// <summary>Evaluations performed by this process.</summary>
    public int Spent { get; private set; }

    /// <summary>Evaluations answered from the store (an earlier run, or earlier in this one).</summary>
    public int Reused { get; private set; }

    public double Evaluate(Architecture ξ, CancellationToken cancellation = default) => Evaluate(error, ξ, cancellation);

    /// <summary>e(ξ) with the r-th other seed (r ≥ 1).</summary>
    public double EvaluateRepeat(Architecture ξ, int r, CancellationToken cancellation = default) =>
        Evaluate(Repeated(r), ξ, cancellation);

    /// <summary>What the error measures with its own seed (r = 0) or the r-th other one: the key of its stored trials.</summary>
    public string IdentityOf(int r) => r == 0 ? error.Identity : Repeated(r).Identity;

    /// <summary>A stored error, when there is one (an earlier run, this one, or a worker's).</summary>
    public bool TryKnown(string identity, Architecture ξ, out double e) => Known(identity).TryGetValue(ξ, out e);

    /// <summary>
    /// An error evaluated elsewhere (by a worker, DESIGN §4): remembered, and counted as spent by this search or as
    /// reused from the store.
    /// </summary>
    public double Learn(string identity, Architecture ξ, double e, bool spent)
    {
        Known(identity)[ξ] = Checked(ξ, e);
        if (spent) Spent++;
        else Reused++;
        return e;
    }

    private IObjective Repeated(int r)
    {
        if (repeat is null) throw new InvalidOperationException("this error has no repeats");
        if (!repeats.TryGetValue(r, out var objective)) repeats[r] = objective = repeat(r);
        return objective;
    }

    private double Evaluate(IObjective objective, Architecture ξ, CancellationToken cancellation)
    {
        if (Free)
        {
            Spent++;
            return Checked(ξ, objective.Evaluate(ξ, cancellation));
        }
        var stored = Known(objective.Identity);
        if (stored.TryGetValue(ξ, out double e))
        {
            Reused++;
            return e;
        }
        long start = Stopwatch.GetTimestamp();
        e = Checked(ξ, objective.Evaluate(ξ, cancellation));
        Spent++;
        store.Record(new Trial(objective.Identity, ξ, e, Stopwatch.GetElapsedTime(start).TotalSeconds, DateTimeOffset.UtcNow));
        stored[ξ] = e;
        return e;
    }

    private static double Checked(Architecture ξ, double e) => double.IsFinite(e) && e > 0
        ? e : throw new UserInputException($"error of {ξ.ToShortString()} is {e}; W needs a finite positive error");

    private Dictionary<Architecture, double> Known(string identity)
    {
        if (!known.TryGetValue(identity, out var trials))
            known[identity] = trials = store.Load(identity).ToDictionary(t => t.Architecture, t => t.Error);
        return trials;
    }
}
