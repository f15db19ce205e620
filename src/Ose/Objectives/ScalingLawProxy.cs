using Ose.Costs;

namespace Ose.Objectives;

/// <summary>
/// A training-free stand-in for error: the loss a model of N non-embedding parameters would reach by the
/// parameter scaling law of Kaplan et al. 2020 (arXiv 2001.08361, eq. 1.1), L(N) = (N_c / N)^α_N.
/// It only ranks by capacity and ignores the task; it exists so the search runs without training or a
/// table, and is used only when named (<c>--errors proxy:scaling-law</c>).
/// </summary>
public sealed class ScalingLawProxy(FixedShape shape) : IObjective
{
    public const string Token = "proxy:scaling-law";

    private const double Nc = 8.8e13;
    private const double AlphaN = 0.076;

    public string Identity => Token;

    public double Evaluate(Architecture ξ, CancellationToken cancellation = default) =>
        Math.Pow(Nc / ParameterCount.Of(ξ, shape).Effective, AlphaN);
}
