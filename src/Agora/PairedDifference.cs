using System.Globalization;
using MathNet.Numerics.Distributions;

namespace Ose.Agora;

/// <summary>
/// The mean of paired differences (two arms that share the training split and the seed) with its two-sided 95%
/// confidence interval by Student's t with n − 1 degrees of freedom: mean ± t₀.₉₇₅,ₙ₋₁ · s / √n. Pairing removes
/// what the split and the seed do to both arms alike, which is most of the spread of either arm alone.
/// </summary>
public sealed record PairedDifference(int Count, double Mean, double Low, double High)
{
    public const double Confidence = 0.95;

    public static PairedDifference Of(IReadOnlyList<double> differences)
    {
        if (differences.Count < 2) throw new ArgumentException("a confidence interval needs at least two paired differences");
        int n = differences.Count;
        double mean = differences.Average();
        double sd = Math.Sqrt(differences.Sum(d => (d - mean) * (d - mean)) / (n - 1));
        double half = StudentT.InvCDF(0, 1, n - 1, 1 - (1 - Confidence) / 2) * sd / Math.Sqrt(n);
        return new PairedDifference(n, mean, mean - half, mean + half);
    }

    /// <summary>The interval when there are at least two differences; null for fewer, which have none.</summary>
    public static PairedDifference? OfAtLeastTwo(IReadOnlyList<double> differences) => differences.Count < 2 ? null : Of(differences);

    /// <summary>In points (×100): "+3.1 [+0.4, +5.8]".</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{100 * Mean:+0.0;−0.0;0.0} [{100 * Low:+0.0;−0.0;0.0}, {100 * High:+0.0;−0.0;0.0}]");
}
