using MathNet.Numerics.LinearAlgebra;

namespace Ose.Costs;

/// <summary>
/// Predicts measured forward latency from the terms of the operation count (DESIGN §2.2), fitted by least squares
/// on a sample of measured candidates: latency ≈ c₀ + c₁·DLH² + c₂·DLHI + c₃·DL²H + c₄·DAL² + c₅·DL(H + I).
/// The matrix products dominate; the last two terms carry softmax and the element-wise work, the constant the
/// fixed cost of a call.
/// </summary>
public sealed class LatencyModel
{
    private readonly Vector<double> coefficients;

    private LatencyModel(Vector<double> coefficients, int sequenceLength)
    {
        this.coefficients = coefficients;
        SequenceLength = sequenceLength;
    }

    public int SequenceLength { get; }

    public static int TermCount => 6;

    public static double[] Terms(Architecture ξ, int sequenceLength)
    {
        double d = ξ.D, a = ξ.A, h = ξ.H, i = ξ.I, l = sequenceLength;
        return [1, d * l * h * h, d * l * h * i, d * l * l * h, d * a * l * l, d * l * (h + i)];
    }

    /// <summary>Least squares over the measured samples; needs at least as many samples as terms.</summary>
    public static LatencyModel Fit(IReadOnlyList<(Architecture Architecture, double Seconds)> samples, int sequenceLength)
    {
        if (samples.Count < TermCount)
            throw new UserInputException($"a latency model needs at least {TermCount} measured candidates, got {samples.Count}");
        // Scale each term to unit maximum so the normal equations stay well conditioned across 1 and ~10¹².
        var rows = samples.Select(s => Terms(s.Architecture, sequenceLength)).ToArray();
        var scale = Enumerable.Range(0, TermCount).Select(t => Math.Max(1e-300, rows.Max(r => Math.Abs(r[t])))).ToArray();
        var x = Matrix<double>.Build.DenseOfRowArrays(rows.Select(r => r.Select((v, t) => v / scale[t]).ToArray()));
        var y = Vector<double>.Build.DenseOfEnumerable(samples.Select(s => s.Seconds));
        var scaled = x.Svd(computeVectors: true).Solve(y);
        return new LatencyModel(scaled.PointwiseDivide(Vector<double>.Build.DenseOfArray(scale)), sequenceLength);
    }

    public double Predict(Architecture ξ) =>
        Vector<double>.Build.DenseOfArray(Terms(ξ, SequenceLength)).DotProduct(coefficients);

    /// <summary>
    /// Median of |predicted − measured| / measured over candidates the fit did not see: the median, as issue 16 sets
    /// its target, so that one measurement a busy machine slowed does not decide the figure.
    /// </summary>
    public double MedianRelativeError(IReadOnlyList<(Architecture Architecture, double Seconds)> heldOut)
    {
        if (heldOut.Count == 0) return double.NaN;
        var errors = heldOut.Select(s => Math.Abs(Predict(s.Architecture) - s.Seconds) / s.Seconds).Order().ToArray();
        int n = errors.Length;
        return n % 2 == 1 ? errors[n / 2] : (errors[n / 2 - 1] + errors[n / 2]) / 2;
    }
}
