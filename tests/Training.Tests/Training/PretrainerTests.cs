using Ose.Models.Checkpoints;
using Ose.Models.Text;
using Ose.Models;
using Xunit;
using static TorchSharp.torch;

namespace Ose.Training.Tests;

public sealed class PretrainerTests : IDisposable
{
    private static readonly SpecialTokens Tokens = new(Pad: 0, Cls: 1, Sep: 2, Mask: 3, VocabularySize: 50);
    private readonly string directory = Directory.CreateTempSubdirectory("ose-pretrain-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    /// <summary>A learnable toy language: each sentence counts up from a random start, so a masked token follows from its neighbours.</summary>
    private static IReadOnlyList<long[]> Corpus(int sentences, int seed)
    {
        var random = new Random(seed);
        var text = Enumerable.Range(0, sentences).Select(_ =>
        {
            int start = random.Next(4, 30);
            return Enumerable.Range(start, 8).Select(t => t % 46 + 4).ToArray();
        });
        return PackedCorpus.Pack(text, 16, Tokens);
    }

    private static BertForMaskedLM Model(long seed)
    {
        manual_seed(seed);
        return new BertForMaskedLM(Tiny.Config(V: Tokens.VocabularySize, dropout: 0.1));
    }

    private const long Seed = 5;

    private static HyperParameters Θ(int steps, double lr = 3e-3) =>
        new(LearningRate: lr, Steps: steps, BatchSize: 8, MaxLength: 16, WarmupShare: 2.0 / steps);

    private TrainingCheckpoint Checkpoint => new(directory);

    [Fact]
    public void Training_lowers_the_held_out_masked_lm_loss()
    {
        using var model = Model(1);
        var trainer = new Pretrainer(model, Tokens, Θ(600, lr: 5e-3), Seed, CPU);
        var dev = Corpus(40, 99);
        double before = trainer.Evaluate(dev);
        trainer.Train(Corpus(400, 1), null);
        double after = trainer.Evaluate(dev);

        Assert.InRange(before, Math.Log(50) - 0.5, Math.Log(50) + 0.5);
        Assert.True(after < before - 0.5, $"held-out loss {before:F3} → {after:F3}");
    }

    [Fact]
    public void The_same_seed_draws_the_same_loss_curve()
    {
        using var first = Model(2);
        using var second = Model(2);
        var a = new Pretrainer(first, Tokens, Θ(8), Seed, CPU).Train(Corpus(100, 1), null);
        var b = new Pretrainer(second, Tokens, Θ(8), Seed, CPU).Train(Corpus(100, 1), null);
        Assert.Equal(a, b);
    }

    [Fact]
    public void A_run_killed_between_checkpoints_resumes_on_the_uninterrupted_curve()
    {
        var corpus = Corpus(100, 1);
        using var reference = Model(3);
        var uninterrupted = new Pretrainer(reference, Tokens, Θ(12), Seed, CPU).Train(corpus, null);

        using (var killed = Model(3))
        {
            using var stop = new CancellationTokenSource();
            var progress = new SynchronousProgress(step => { if (step.Step == 7) stop.Cancel(); });
            Assert.Throws<OperationCanceledException>(() =>
                new Pretrainer(killed, Tokens, Θ(12), Seed, CPU).Train(corpus, Checkpoint, 5, progress, stop.Token));
        }
        using var resumed = Model(999);   // different initial weights: everything must come from the checkpoint
        var curve = new Pretrainer(resumed, Tokens, Θ(12), Seed, CPU).Train(corpus, Checkpoint, 5);

        Assert.Equal(uninterrupted, curve);
    }

    [Fact]
    public void A_diverging_loss_stops_with_a_user_error_and_leaves_the_last_checkpoint_loadable()
    {
        var corpus = Corpus(100, 1);
        var θ = Θ(40, lr: 1e30);
        int finiteSteps = 0;
        using (var diverging = Model(4))
        {
            var error = Assert.Throws<UserInputException>(() => new Pretrainer(diverging, Tokens, θ, Seed, CPU)
                .Train(corpus, Checkpoint, checkpointEvery: 1, new SynchronousProgress(_ => finiteSteps++)));
            Assert.Contains("checkpoint is intact", error.Message);
        }

        // The first loss is that of the initial weights, so at least one step completed and was checkpointed.
        Assert.InRange(finiteSteps, 1, θ.Steps - 1);
        using var reloaded = Model(4);
        using var optimizer = optim.AdamW(reloaded.parameters());
        Assert.Equal(finiteSteps, Checkpoint.TryLoad(reloaded, reloaded.Bert.Config, new TrainingRecord(θ, Seed), optimizer)!.Count);
    }

    [Fact]
    public void The_distillation_loss_is_T_squared_times_the_kl_divergence_of_the_tempered_softmaxes()
    {
        var student = tensor(new float[] { 1, 2, 3, 0.5f, 0.5f, 0 }, [2, 3]);
        var teacher = tensor(new float[] { 3, 2, 1, 0, 1, 0 }, [2, 3]);
        const double t = 2;

        double expected = 0;
        for (int row = 0; row < 2; row++)
        {
            double[] zs = [.. Enumerable.Range(0, 3).Select(c => student[row, c].item<float>() / t)];
            double[] zt = [.. Enumerable.Range(0, 3).Select(c => teacher[row, c].item<float>() / t)];
            double[] ps = Softmax(zs), pt = Softmax(zt);
            expected += Enumerable.Range(0, 3).Sum(c => pt[c] * Math.Log(pt[c] / ps[c])) / 2;
        }
        expected *= t * t;

        Assert.Equal(expected, Pretrainer.DistillationLoss(student, teacher, t).item<float>(), 5);
    }

    [Fact]
    public void Distillation_from_a_teacher_trains_and_repeats_for_a_seed()
    {
        var corpus = Corpus(100, 1);
        using var teacher = Model(7);
        new Pretrainer(teacher, Tokens, Θ(20), Seed, CPU).Train(corpus, null);

        double[] Run()
        {
            using var student = Model(8);
            return [.. new Pretrainer(student, Tokens, Θ(6), Seed, CPU, new Distillation(teacher)).Train(corpus, null)];
        }

        var first = Run();
        Assert.Equal(first, Run());
        Assert.All(first, loss => Assert.True(double.IsFinite(loss) && loss > 0));
    }

    private static double[] Softmax(double[] z)
    {
        double max = z.Max();
        var e = z.Select(x => Math.Exp(x - max)).ToArray();
        return [.. e.Select(x => x / e.Sum())];
    }

    private sealed class SynchronousProgress(Action<TrainingStep> report) : IProgress<TrainingStep>
    {
        public void Report(TrainingStep value) => report(value);
    }
}
