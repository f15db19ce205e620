namespace Ose.Models.Extraction;

/// <summary>What one kept head keeps of its source head: dimensions of the logits (Q, K) and of the output (V, W_O).</summary>
/// <param name="QueryKey">Source rows of Q and K, within the layer's [A·d]; fewer than d' means the rest is padding.</param>
/// <param name="Value">Source rows of V (and columns of W_O), likewise.</param>
public sealed record KeptHead(int Head, int[] QueryKey, int[] Value);

/// <summary>What one kept layer keeps: heads (each with its dimensions) and intermediate neurons.</summary>
public sealed record KeptLayer(int Layer, KeptHead[] Heads, int[] Neurons);

/// <summary>
/// Which parts of a source a sub-architecture ξ keeps: the most important of each kind, in the source's order. Each axis
/// ranks its parts once, so a smaller ξ keeps a subset of what a larger one keeps (nested sub-networks), and the
/// source's own shape keeps everything, in place.
/// </summary>
/// <param name="Channels">Hidden channels kept, of H: one choice for the whole residual stream (embeddings, every LayerNorm, every H-sized side of a matrix).</param>
/// <param name="HeadSize">d' = H'/A'; the source's is d = H/A.</param>
public sealed record ExtractionPlan(Architecture Target, KeptLayer[] Layers, int[] Channels, int HeadSize, int SourceHeadSize)
{
    public static ExtractionPlan For(Importance importance, EncoderConfig source, Architecture ξ)
    {
        RequireWithin(ξ, source);
        int d = source.H / source.A, dPrime = ξ.H / ξ.A;
        var layers = Top(importance.Layers, ξ.D).Select(l => new KeptLayer(l,
            Top(importance.Heads[l], ξ.A).Select(h => new KeptHead(h,
                Dimensions(importance.QueryKey[l], h, d, dPrime), Dimensions(importance.Value[l], h, d, dPrime))).ToArray(),
            Top(importance.Neurons[l], ξ.I))).ToArray();
        return new ExtractionPlan(ξ, layers, Top(importance.Channels, ξ.H), dPrime, d);
    }

    /// <summary>A sub-network can only be cut out of a network at least as large on every axis.</summary>
    public static void RequireWithin(Architecture ξ, EncoderConfig source)
    {
        var sourceξ = new Architecture(source.D, source.A, source.H, source.I);
        foreach (var (axis, wanted, available) in new[] { ("D", ξ.D, source.D), ("A", ξ.A, source.A), ("H", ξ.H, source.H), ("I", ξ.I, source.I) })
            if (wanted > available)
                throw new UserInputException($"{ξ} is larger than the source {sourceξ} on {axis} ({wanted} > {available}): a sub-network cannot be extracted");
    }

    /// <summary>The <paramref name="count"/> largest scores' indices in increasing index order; ties go to the lower index.</summary>
    public static int[] Top(IReadOnlyList<double> scores, int count) =>
        Enumerable.Range(0, scores.Count).OrderByDescending(i => scores[i]).ThenBy(i => i).Take(count).Order().ToArray();

    /// <summary>The d' most important of head h's d dimensions (all d when d' ≥ d: the rest is padding).</summary>
    private static int[] Dimensions(double[] scores, int head, int d, int dPrime) =>
        Top(scores.Skip(head * d).Take(d).ToArray(), Math.Min(d, dPrime)).Select(j => head * d + j).ToArray();
}
