using MathNet.Numerics.LinearAlgebra;

namespace Ose.Costs;

/// <summary>
/// Predicts measured forward latency from the terms of the operation count (DESIGN §2.2), fitted by least squares
/// on a sample of measured candidates, relative and non-negative: latency ≈ c₀ + c₁·DLH² + c₂·DLHI + c₃·DL²H + c₄·DAL² + c₅·DL(H + I).
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

    /// <summary>
    /// Least squares over the measured samples, relative (each sample weighted by 1/latency, so a 5 ms candidate counts
    /// as much as a 300 ms one: the error that matters is relative) and with every coefficient ≥ 0 (each term is work
    /// that takes time; unconstrained fits to noisy measurements traded terms against each other and predicted negative
    /// latencies). Needs at least as many samples as terms.
    /// </summary>
    public static LatencyModel Fit(IReadOnlyList<(Architecture Architecture, double Seconds)> samples, int sequenceLength)
    {
        if (samples.Count < TermCount)
            throw new UserInputException($"a latency model needs at least {TermCount} measured candidates, got {samples.Count}");
        // Scale each term to unit maximum so the normal equations stay well conditioned across 1 and ~10¹².
        var rows = samples.Select(s => Terms(s.Architecture, sequenceLength)).ToArray();
        var scale = Enumerable.Range(0, TermCount).Select(t => Math.Max(1e-300, rows.Max(r => Math.Abs(r[t])))).ToArray();
        var x = Matrix<double>.Build.DenseOfRowArrays(rows.Select((r, k) => r.Select((v, t) => v / scale[t] / samples[k].Seconds).ToArray()));
        var y = Vector<double>.Build.Dense(samples.Count, 1.0);
        var scaled = NonNegativeLeastSquares(x, y);
        return new LatencyModel(scaled.PointwiseDivide(Vector<double>.Build.DenseOfArray(scale)), sequenceLength);
    }

    /// <summary>
    /// min ‖Xc − y‖ over c ≥ 0, exactly, by trying every support: with six terms that is 63 small least-squares
    /// solves, and the optimum is the unconstrained solution on its own support.
    /// </summary>
    private static Vector<double> NonNegativeLeastSquares(Matrix<double> x, Vector<double> y)
    {
        Vector<double> best = Vector<double>.Build.Dense(x.ColumnCount);
        double bestResidual = y.L2Norm();
        for (int support = 1; support < 1 << x.ColumnCount; support++)
        {
            var columns = Enumerable.Range(0, x.ColumnCount).Where(t => (support >> t & 1) == 1).ToArray();
            if (columns.Length > x.RowCount) continue;
            var sub = Matrix<double>.Build.DenseOfColumnVectors(columns.Select(x.Column));
            var c = sub.Svd(computeVectors: true).Solve(y);
            if (c.Any(v => v < 0)) continue;
            double residual = (sub * c - y).L2Norm();
            if (residual >= bestResidual) continue;
            bestResidual = residual;
            best = Vector<double>.Build.Dense(x.ColumnCount);
            for (int k = 0; k < columns.Length; k++) best[columns[k]] = c[k];
        }
        return best;
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
