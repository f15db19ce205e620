using Ose.Objectives;
using Ose.Search;
using Ose.Store;

namespace Ose.Tests.Search;

/// <summary>An error objective made of a function, counting its calls, able to fail after a number of them.</summary>
/// <summary>An error that sees the cancellation token, as training-based error does.</summary>
internal sealed class CancellableError(Func<Architecture, CancellationToken, double> error) : IObjective
{
    public string Identity => "cancellable-error";

    public double Evaluate(Architecture ξ, CancellationToken cancellation = default) => error(ξ, cancellation);
}

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

    public static SearchProblem Problem(IObjective error, IReadOnlyList<Architecture>? candidates = null,
        ITrialStore? store = null, double epsilon = 0.1) =>
        new(candidates ?? Bort, new ParameterSize(BertLarge.Shape), new InferenceCost(BertLarge.Shape, 128),
            BertLarge.Architecture, new ErrorEvaluator(error, store ?? new InMemoryTrialStore()), epsilon);

    /// <summary>The true optimum, by evaluating W for every candidate directly.</summary>
    public static double TrueMaxW(SearchProblem problem, Func<Architecture, double> error) =>
        Enumerable.Range(0, problem.Count).Max(k => problem.CostFactor[k] / error(problem.Candidates[k]));
}
