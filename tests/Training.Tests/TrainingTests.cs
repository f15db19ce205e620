using Ose.Models;
using Xunit;
using static TorchSharp.torch;

namespace Ose.Training.Tests;

public class TrainingTests
{
    [Fact]
    public void First_masked_lm_loss_of_a_fresh_model_is_close_to_ln_V()
    {
        const int V = 1000;
        manual_seed(1);
        using var model = new BertForMaskedLM(Tiny.Config(V: V));
        model.eval();
        using var _ = no_grad();
        var loss = model.Loss(Tiny.RandomMaskedBatch(16, 16, V, seed: 2)).item<float>();
        Assert.InRange(loss, Math.Log(V) - 0.1, Math.Log(V) + 0.1);
    }

    [Fact]
    public void A_few_masked_lm_steps_on_a_tiny_random_corpus_lower_the_loss()
    {
        var losses = Train(seed: 3, steps: 40, dropout: 0.0);
        Assert.True(losses[^1] < 0.5 * losses[0], $"loss went from {losses[0]} to {losses[^1]}");
    }

    [Fact]
    public void The_same_seed_gives_the_same_losses()
    {
        // Dropout on, so the generator drives initialisation, masking and dropout alike.
        var first = Train(seed: 4, steps: 3, dropout: 0.1);
        var second = Train(seed: 4, steps: 3, dropout: 0.1);
        var other = Train(seed: 5, steps: 3, dropout: 0.1);
        Assert.Equal(first, second);
        Assert.NotEqual(first, other);
    }

    [Fact]
    public void Weight_clipping_bounds_every_parameter()
    {
        manual_seed(6);
        using var model = new BertForMaskedLM(Tiny.Config(pooler: true));
        model.ClipWeights(0.01);
        Assert.All(model.parameters(), p => Assert.True(p.abs().max().item<float>() <= 0.01f));
        Assert.Throws<ArgumentException>(() => model.ClipWeights(0));
    }

    [Fact]
    public void The_classifier_gives_one_logit_per_class_per_sequence_from_the_first_token()
    {
        manual_seed(7);
        foreach (var pooler in new[] { false, true })
        {
            using var model = new BertForSequenceClassification(Tiny.Config(pooler), classes: 3);
            model.eval();
            using var _ = no_grad();
            var ids = randint(4, 100, new long[] { 5, 12 });
            var logits = model.call(ids, zeros_like(ids), ones_like(ids));
            Assert.Equal(new long[] { 5, 3 }, logits.shape);

            // Only the first token's state feeds the classifier, yet through attention it depends on every token.
            var changed = ids.clone();
            changed[.., 11] = (changed[.., 11] + 1) % 100;
            Assert.False(logits.allclose(model.call(changed, zeros_like(ids), ones_like(ids))));
        }
    }

    /// <summary>Trains a tiny MLM with AdamW on one fixed masked batch; returns the loss before each step.</summary>
    static float[] Train(long seed, int steps, double dropout)
    {
        manual_seed(seed);
        using var model = new BertForMaskedLM(Tiny.Config(dropout: dropout));
        var batch = Tiny.RandomMaskedBatch(8, 16, 100, seed);
        using var optimizer = optim.AdamW(model.parameters(), lr: 3e-3);
        model.train();
        var losses = new float[steps];
        for (int step = 0; step < steps; step++)
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            var loss = model.Loss(batch);
            loss.backward();
            optimizer.step();
            losses[step] = loss.item<float>();
        }
        return losses;
    }
}
