using Ose.Models.Checkpoints;
using Ose.Models;
using static TorchSharp.torch;

namespace Ose.Testing;

/// <summary>Models and data small enough for a step in milliseconds on 2 cores.</summary>
static class Tiny
{
    public static EncoderConfig Config(bool pooler = false, double dropout = 0.0, int V = 100) =>
        new(D: 2, A: 2, H: 32, I: 64, V: V, S: 16, T: 2, Pooler: pooler, Dropout: dropout);

    public const long MaskTokenId = 3;

    /// <summary>The training record of a model saved by a test that did not train it.</summary>
    public static TrainingRecord Record { get; } = new(new HyperParameters(), Seed: 0);

    /// <summary>BERT's special tokens, ids 0 to 4, as a WordPiece vocabulary file begins.</summary>
    public static readonly string[] SpecialTokens = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"];

    /// <summary>Writes a vocabulary file of the special tokens followed by <paramref name="tokens"/>; returns its line count.</summary>
    public static int WriteVocabulary(string path, IEnumerable<string> tokens)
    {
        string[] lines = [.. SpecialTokens, .. tokens];
        File.WriteAllLines(path, lines);
        return lines.Length;
    }

    /// <summary>Random token ids in [4, V) (0-3 left for special tokens), one segment, no padding, masked BERT's way.</summary>
    public static MaskedLmBatch RandomMaskedBatch(int sequences, int length, long vocabularySize, long seed)
    {
        var generator = new Generator((ulong)seed);
        var ids = randint(4, vocabularySize, new long[] { sequences, length }, generator: generator);
        var ones = ones_like(ids);
        return new MaskingScheme(MaskTokenId, vocabularySize).Apply(ids, zeros_like(ids), ones, ones, generator);
    }
}
