using Xunit;
using static TorchSharp.torch;

namespace Ose.Models.Tests;

public class WeightsTests
{
    [Fact]
    public void Saved_then_loaded_weights_give_identical_outputs()
    {
        var path = Path.Combine(Path.GetTempPath(), $"ose-models-{Guid.NewGuid():N}.bin");
        try
        {
            manual_seed(21);
            using var saved = new BertForMaskedLM(Tiny.Config(pooler: true));
            saved.SaveWeights(path);
            manual_seed(22);
            using var loaded = new BertForMaskedLM(Tiny.Config(pooler: true));

            saved.eval();
            loaded.eval();
            using var _ = no_grad();
            var batch = Tiny.RandomMaskedBatch(4, 16, 100, seed: 23);
            Tensor Logits(BertForMaskedLM m) => m.call(batch.InputIds, batch.TokenTypeIds, batch.AttentionMask, batch.MaskedPositions);
            Assert.False(Logits(saved).equal(Logits(loaded)).all().item<bool>());

            loaded.LoadWeights(path);
            Assert.True(Logits(saved).equal(Logits(loaded)).all().item<bool>());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Loading_weights_of_another_architecture_fails()
    {
        var path = Path.Combine(Path.GetTempPath(), $"ose-models-{Guid.NewGuid():N}.bin");
        try
        {
            using var small = new BertModel(Tiny.Config());
            small.SaveWeights(path);
            using var wider = new BertModel(Tiny.Config() with { H = 64 });
            Assert.ThrowsAny<Exception>(() => wider.LoadWeights(path));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
