namespace Ose.Costs;

/// <summary>
/// Exact parameter count split along the ABnC decomposition (de Wynter 2020, arXiv 2010.08512, §3):
/// input layer A (embeddings), n = D identical encoder blocks B, output layer C (pooler).
/// Counts follow the Hugging Face <c>BertModel</c> convention.
/// </summary>
public readonly record struct ParameterCount(long Embeddings, long PerBlock, int Depth, long Output)
{
    public long Blocks => PerBlock * Depth;

    public long Total => Embeddings + Blocks + Output;

    /// <summary>"Effective" size as the Bort paper uses it: the encoder blocks alone.</summary>
    public long Effective => Blocks;

    public static ParameterCount Of(Architecture ξ, FixedShape shape)
    {
        long h = ξ.H, i = ξ.I;
        // Word, position and token-type tables, then LayerNorm (γ, β).
        long embeddings = (long)(shape.V + shape.S + shape.T) * h + 2 * h;
        // Q, K, V, O projections with biases: 4H² + 4H; two LayerNorms: 4H;
        // intermediate H·I + I; output I·H + H.
        long perBlock = 4 * h * h + 2 * h * i + 9 * h + i;
        long output = shape.HasPooler ? h * h + h : 0;
        return new ParameterCount(embeddings, perBlock, ξ.D, output);
    }
}
