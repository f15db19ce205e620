namespace Ose.Costs;

/// <summary>
/// Analytic floating-point operations of one forward pass over a sequence of L tokens, split along ABnC.
/// A multiply-add counts as two operations. The dominant per-block term is
/// 2·(4LH² + 2LHI + 2L²H) (DESIGN §2.2): four H×H projections, the two feed-forward matrices, and the
/// two L×L attention products; the element-wise terms below are small but keep short sequences honest.
/// </summary>
public readonly record struct OperationCount(double Embeddings, double PerBlock, int Depth, double Output)
{
    // Rough element-wise costs per value, as counted by common FLOP counters.
    private const double LayerNormPerValue = 8;   // mean, variance, normalise, scale, shift
    private const double SoftmaxPerValue = 5;     // max, subtract, exp, sum, divide
    private const double GeluPerValue = 8;        // tanh approximation

    public double Blocks => PerBlock * Depth;

    public double Total => Embeddings + Blocks + Output;

    public static OperationCount Of(Architecture ξ, FixedShape shape, int sequenceLength)
    {
        double l = sequenceLength, h = ξ.H, i = ξ.I, a = ξ.A;
        double embeddings = 2 * l * h + LayerNormPerValue * l * h;   // sum of three lookups, then LayerNorm
        double perBlock = BlockMatrixTerms(l, h, i)
            + SoftmaxPerValue * a * l * l
            + 2 * LayerNormPerValue * l * h
            + GeluPerValue * l * i
            + (4 * l * h + l * i + l * h)   // biases of Q, K, V, O, intermediate, output
            + 2 * l * h                     // two residual additions
            + a * l * l;                    // 1/√(H/A) scaling of the scores
        double output = shape.HasPooler ? 2 * h * h + 2 * h : 0;   // dense + tanh on the first token
        return new OperationCount(embeddings, perBlock, ξ.D, output);
    }

    /// <summary>The matrix products of one block: 2·(4LH² + 2LHI + 2L²H).</summary>
    public static double BlockMatrixTerms(double l, double h, double i) =>
        2 * (4 * l * h * h + 2 * l * h * i + 2 * l * l * h);
}
