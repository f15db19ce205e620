using static TorchSharp.torch;

namespace Ose.Models;

/// <summary>One masked-LM batch: inputs after masking, where the loss is taken, and the original tokens there.</summary>
/// <param name="MaskedPositions">[N, L] booleans.</param>
/// <param name="Labels">[M] original token ids at the M masked positions, row-major.</param>
public sealed record MaskedLmBatch(Tensor InputIds, Tensor TokenTypeIds, Tensor AttentionMask, Tensor MaskedPositions, Tensor Labels);

/// <summary>The masking of Devlin et al. 2019, section 3.1 (task #1).</summary>
/// <param name="MaskTokenId">The [MASK] token.</param>
/// <param name="Probability">Share of maskable positions chosen for the loss (BERT: 15%).</param>
public sealed record MaskingScheme(long MaskTokenId, long VocabularySize, double Probability = 0.15)
{
    /// <summary>
    /// Chooses positions among <paramref name="maskable"/> (the caller leaves out padding and special tokens);
    /// of those, 80% become [MASK], 10% a random token and 10% stay, so the model cannot rely on seeing [MASK].
    /// At least one position is always chosen, so the loss is defined.
    /// </summary>
    public MaskedLmBatch Apply(Tensor tokenIds, Tensor tokenTypeIds, Tensor attentionMask, Tensor maskable, Generator? generator = null)
    {
        maskable = maskable.to(ScalarType.Bool);
        if (!maskable.any().item<bool>()) throw new ArgumentException("no position may be masked");
        var device = tokenIds.device;

        var chosen = rand(tokenIds.shape, device: device, generator: generator).lt(Probability).logical_and(maskable);
        if (!chosen.any().item<bool>())
        {
            var pick = rand(tokenIds.shape, device: device, generator: generator).mul(maskable).flatten().argmax();
            chosen = chosen.flatten().index_fill(0, pick.unsqueeze(0), true).view(tokenIds.shape);
        }

        var draw = rand(tokenIds.shape, device: device, generator: generator);
        var toMask = chosen.logical_and(draw.lt(0.8));
        var toRandom = chosen.logical_and(draw.ge(0.8)).logical_and(draw.lt(0.9));
        var randomTokens = randint(VocabularySize, tokenIds.shape, dtype: tokenIds.dtype, device: device, generator: generator);
        var inputs = where(toRandom, randomTokens, tokenIds.masked_fill(toMask, MaskTokenId));
        return new MaskedLmBatch(inputs, tokenTypeIds, attentionMask, chosen, tokenIds[chosen]);
    }
}
