using Xunit;
using static TorchSharp.torch;

namespace Ose.Models.Tests;

public class MaskedLanguageModelingTests
{
    const long Mask = 3, V = 1000;

    [Fact]
    public void About_15_percent_of_maskable_tokens_are_chosen_and_80_percent_of_those_become_mask()
    {
        var generator = new Generator(31);
        var ids = randint(4, V, new long[] { 64, 128 }, generator: generator);
        var maskable = ones_like(ids).to(ScalarType.Bool);
        maskable[.., 0] = false; // say, [CLS]

        var batch = new MaskingScheme(Mask, V).Apply(ids, zeros_like(ids), ones_like(ids), maskable, generator);
        var chosen = batch.MaskedPositions;
        double share = chosen.sum().item<long>() / (double)maskable.sum().item<long>();
        double masked = batch.InputIds[chosen].eq(Mask).sum().item<long>() / (double)chosen.sum().item<long>();

        Assert.InRange(share, 0.14, 0.16);
        Assert.InRange(masked, 0.77, 0.83);
        Assert.False(chosen[.., 0].any().item<bool>());
        Assert.True(batch.Labels.equal(ids[chosen]).all().item<bool>());
        Assert.True(batch.InputIds[chosen.logical_not()].equal(ids[chosen.logical_not()]).all().item<bool>());
    }

    [Fact]
    public void At_least_one_maskable_position_is_always_chosen()
    {
        var ids = randint(4, V, new long[] { 2, 8 });
        var maskable = zeros_like(ids).to(ScalarType.Bool);
        maskable[1, 5] = true;

        var batch = new MaskingScheme(Mask, V, Probability: 1e-12).Apply(ids, zeros_like(ids), ones_like(ids), maskable);

        Assert.Equal(1, batch.MaskedPositions.sum().item<long>());
        Assert.True(batch.MaskedPositions[1, 5].item<bool>());
    }
}
