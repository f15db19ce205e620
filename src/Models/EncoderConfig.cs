namespace Ose.Models;

/// <summary>
/// A BERT-like encoder: ξ = ⟨D, A, H, I⟩ (layers, attention heads, hidden size, intermediate size; DESIGN 2.1)
/// plus the fixed vocabulary size V, maximum positions S and token types T. Bort has no pooler.
/// </summary>
public sealed record EncoderConfig(int D, int A, int H, int I, int V, int S, int T, bool Pooler = true, double Dropout = 0.1)
{
    /// <summary>The encoder of search candidate ξ with the vocabulary, positions and token types of <paramref name="shape"/>.</summary>
    public static EncoderConfig From(Architecture ξ, FixedShape shape, double dropout = 0.1) =>
        new(ξ.D, ξ.A, ξ.H, ξ.I, shape.V, shape.S, shape.T, shape.HasPooler, dropout);

    public static EncoderConfig BertBase { get; } = new(12, 12, 768, 3072, 30522, 512, 2);
    public static EncoderConfig BertLarge { get; } = new(24, 16, 1024, 4096, 30522, 512, 2);

    /// <summary>BERT's LayerNorm epsilon (PyTorch's default, 1e-5, differs).</summary>
    public const double LayerNormEpsilon = 1e-12;

    /// <summary>BERT initialises every weight matrix from N(0, 0.02²).</summary>
    public const double InitializerRange = 0.02;

    public void Validate()
    {
        if (D < 1 || A < 1 || H < 1 || I < 1 || V < 1 || S < 1 || T < 1)
            throw new ArgumentException($"every size must be positive: {this}");
        if (H % A != 0)
            throw new ArgumentException($"the heads A = {A} must divide the hidden size H = {H}");
        if (Dropout is < 0 or >= 1)
            throw new ArgumentException($"dropout must be in [0, 1): {Dropout}");
    }

    /// <summary>Refuses sequences longer than the model has positions for (its embeddings would be indexed past their end).</summary>
    public void RequireFits(int sequenceLength)
    {
        if (sequenceLength > S)
            throw new UserInputException($"sequences of {sequenceLength} tokens do not fit the model's {S} positions: lower the maximum length");
    }
}
