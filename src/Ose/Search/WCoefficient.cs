namespace Ose.Search;

/// <summary>
/// The W-coefficient of de Wynter &amp; Perry 2020 (eq. 1) that OSE maximises:
/// W(ξ) = ((p(T) − p(ξ)) / p(T)) · ((i(T) − i(ξ)) / i(T)) · 1 / e(ξ), with T the maximum point.
/// </summary>
public static class WCoefficient
{
    /// <summary>The cost part P(ξ)·I(ξ), which needs no training.</summary>
    public static double CostFactor(double p, double i, double pT, double iT) => (pT - p) / pT * ((iT - i) / iT);

    public static double Of(double p, double i, double e, double pT, double iT) => CostFactor(p, i, pT, iT) / e;

    /// <summary>
    /// Branch and bound (DESIGN §2.3): with ē a lower bound on e(ξ), W(ξ) ≤ P(ξ)·I(ξ) / ē; unbounded while ē is 0.
    /// </summary>
    public static double UpperBound(double costFactor, double errorLowerBound) =>
        errorLowerBound > 0 ? costFactor / errorLowerBound : costFactor > 0 ? double.PositiveInfinity : 0;
}
