using TorchSharp;
using static TorchSharp.torch;

namespace Ose.Models.Tests;

/// <summary>Models and data small enough for a step in milliseconds on 2 cores.</summary>
static class Tiny
{
    public static EncoderConfig Config(bool pooler = false, double dropout = 0.0, int V = 100) =>
        new(D: 2, A: 2, H: 32, I: 64, V: V, S: 16, T: 2, Pooler: pooler, Dropout: dropout);

    public const long MaskTokenId = 3;

    /// <summary>Random token ids in [4, V) (0-3 left for special tokens), one segment, no padding, masked BERT's way.</summary>
    public static MaskedLmBatch RandomMaskedBatch(int sequences, int length, long vocabularySize, long seed)
    {
        var generator = new Generator((ulong)seed);
        var ids = randint(4, vocabularySize, new long[] { sequences, length }, generator: generator);
        var ones = ones_like(ids);
        return new MaskingScheme(MaskTokenId, vocabularySize).Apply(ids, zeros_like(ids), ones, ones, generator);
    }
}
