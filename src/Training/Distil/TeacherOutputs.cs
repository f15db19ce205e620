using Ose.Models;
using Ose.Models.Sources;
using static TorchSharp.torch;

namespace Ose.Training.Distil;

/// <summary>
/// The frozen source as the teacher: its last hidden state for a batch (and its masked-LM logits when it has a head).
/// Every candidate of a search reads the same batches, so the source runs once per batch per search, not once per
/// candidate: its hidden states are kept (on the CPU, up to a memory budget) by batch key.
/// </summary>
public sealed class TeacherOutputs(SourceWeights source, Device device, long cacheBytes = TeacherOutputs.DefaultCacheBytes) : IDisposable
{
    /// <summary>About 650 batches of 8 × 64 tokens of a 384-wide source.</summary>
    public const long DefaultCacheBytes = 512L << 20;

    private readonly BertModel encoder = SourceModels.Encoder(source, device);
    private readonly MaskedLmHead? head = source.HasMaskedLmHead ? SourceModels.Head(source, device) : null;
    private readonly Dictionary<long, Tensor> hidden = [];
    private long cachedBytes;

    public int Width => source.Config.H;

    public bool HasMaskedLmHead => head is not null;

    /// <summary>[N, L, H] for the batch; <paramref name="key"/> identifies the batch's content (a step, a held-out slice).</summary>
    public Tensor Hidden(long key, Tensor inputIds, Tensor tokenTypeIds, Tensor attentionMask)
    {
        if (hidden.TryGetValue(key, out var cached)) return cached.to(device);
        using var _ = no_grad();
        var result = encoder.call(inputIds, tokenTypeIds, attentionMask);
        long bytes = result.numel() * sizeof(float);
        if (cachedBytes + bytes <= cacheBytes)
        {
            hidden[key] = result.cpu().DetachFromDisposeScope();
            cachedBytes += bytes;
        }
        return result;
    }

    /// <summary>The teacher's masked-LM logits [M, V] at the masked positions, from its hidden state [N, L, H].</summary>
    public Tensor Logits(Tensor teacherHidden, Tensor maskedPositions)
    {
        using var _ = no_grad();
        return (head ?? throw new InvalidOperationException("the source has no masked-LM head"))
            .call(teacherHidden[maskedPositions], encoder.WordEmbeddings);
    }

    public void Dispose()
    {
        foreach (var t in hidden.Values) t.Dispose();
        hidden.Clear();
        encoder.Dispose();
        head?.Dispose();
    }
}
