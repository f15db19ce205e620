using Ose.Objectives;
using Ose.Search;
using Ose.Store;

namespace Ose.Tests.Search;

/// <summary>An error that sees the cancellation token, as training-based error does.</summary>
internal sealed class CancellableError(Func<Architecture, CancellationToken, double> error) : IObjective
{
    public string Identity => "cancellable-error";

    public double Evaluate(Architecture ξ, CancellationToken cancellation = default) => error(ξ, cancellation);
}

/// <summary>An error objective made of a function, counting its calls, able to fail after a number of them.</summary>
internal sealed class CountingError(Func<Architecture, double> error, string identity = "test-error", int? failAfter = null) : IObjective
{
    public int Calls { get; private set; }

    public string Identity => identity;

    public double Evaluate(Architecture ξ, CancellationToken cancellation = default)
    {
        if (Calls == failAfter) throw new SimulatedCrash();
        Calls++;
        return error(ξ);
    }
}

/// <summary>Stands for the process dying mid-search.</summary>
internal sealed class SimulatedCrash : Exception;

internal static class SearchFixtures
{
    public static readonly Source BertLarge = Source.Resolve("bert-large");

    public static IReadOnlyList<Architecture> Bort => Ose.Spaces.SearchSpace.Resolve(null).Candidates;

    /// <summary>Error that falls with capacity in every parameter (the papers' assumption), with fixed jitter.</summary>
    public static double MonotoneError(Architecture ξ) =>
        4.0 / Math.Log(ξ.D * (double)ξ.H * ξ.I) + 0.3 / ξ.A;

    /// <summary>
    /// The search problem over <paramref name="candidates"/> (the Bort space by default) for bert-large. The error counts as
    /// costly (it is stored and the FPTAS prunes), so the branch and bound is what runs.
    /// </summary>
    public static SearchProblem Problem(IObjective error, IReadOnlyList<Architecture>? candidates = null,
        ITrialStore? store = null, double epsilon = 0.1, bool costGrowsWithSize = false, Func<int, IObjective>? repeat = null) =>
        new(candidates ?? Bort, new ParameterSize(BertLarge.Shape), new InferenceCost(BertLarge.Shape, 128),
            BertLarge.Architecture, new ErrorEvaluator(error, store ?? new InMemoryTrialStore(), repeat), epsilon, costGrowsWithSize);

    /// <summary>The true optimum, by evaluating W for every candidate directly.</summary>
    public static double TrueMaxW(SearchProblem problem, Func<Architecture, double> error) =>
        Enumerable.Range(0, problem.Count).Max(k => problem.CostFactor[k] / error(problem.Candidates[k]));

    /// <summary>Whether the certificate printed for this result is true of the error: W* ≤ gap × W(chosen).</summary>
    public static bool CertificateHolds(SearchProblem problem, SearchResult result, Func<Architecture, double> error) =>
        result.Certificate.Gap is not { } gap || TrueMaxW(problem, error) <= gap * result.Best.W!.Value * (1 + 1e-12);
}
