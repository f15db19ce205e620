using Ose.Models;
using Ose.Models.Sources;
using static TorchSharp.torch;

namespace Ose.Testing;

/// <summary>Random BERT sources small enough to import, run and extract in milliseconds.</summary>
static class TinySources
{
    public static EncoderConfig Config(bool pooler = true) => new(D: 3, A: 4, H: 32, I: 48, V: 60, S: 24, T: 2, Pooler: pooler, Dropout: 0);

    /// <summary>
    /// Every tensor random, biases and LayerNorm shifts included (BERT's initialisation zeroes them, which would hide a
    /// bias put in the wrong place), with or without a masked-LM head.
    /// </summary>
    public static SourceWeights Weights(EncoderConfig config, int seed = 0, bool maskedLmHead = false)
    {
        manual_seed(seed);
        using var model = new BertForMaskedLM(config);
        var tensors = new Dictionary<string, Tensor>();
        foreach (var (name, t) in model.state_dict())
        {
            if (!maskedLmHead && name.StartsWith("cls.", StringComparison.Ordinal)) continue;
            var random = name.Contains("LayerNorm.weight") ? 1 + 0.2 * randn(t.shape) : 0.2 * randn(t.shape);
            tensors[name.StartsWith("bert.", StringComparison.Ordinal) ? name[5..] : name] = random;
        }
        return new SourceWeights(config, tensors, "tiny");
    }

    /// <summary>Token ids in [5, V) with some padding at the end of all but the first sequence.</summary>
    public static (Tensor Ids, Tensor Types, Tensor Mask) Batch(EncoderConfig c, int sequences, int length, int seed)
    {
        var generator = new Generator((ulong)seed);
        var ids = randint(5, c.V, [sequences, length], generator: generator);
        var mask = ones(sequences, length, dtype: ScalarType.Int64);
        for (int b = 1; b < sequences; b++) mask[b, TensorIndex.Slice(length - b % (length - 1))] = 0;
        ids = ids.masked_fill(mask.eq(0), 0);
        var types = zeros_like(ids);
        types[TensorIndex.Ellipsis, TensorIndex.Slice(length / 2)] = 1;
        return (ids, types.masked_fill(mask.eq(0), 0), mask);
    }

    public static Tensor Hidden(BertModel model, (Tensor Ids, Tensor Types, Tensor Mask) batch)
    {
        using var _ = no_grad();
        return model.call(batch.Ids, batch.Types, batch.Mask);
    }

    /// <summary>Calibration sequences of 12 tokens in [5, V), some ending in padding.</summary>
    public static IReadOnlyList<long[]> Calibration(EncoderConfig c, int sequences, int seed = 0)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, sequences).Select(s =>
            Enumerable.Range(0, 12).Select(t => t < 12 - s % 4 ? (long)random.Next(5, c.V) : 0L).ToArray()).ToArray();
    }
}
