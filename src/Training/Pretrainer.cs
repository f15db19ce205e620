using System.Diagnostics;
using Ose.Models;
using Ose.Models.Checkpoints;
using Ose.Models.Text;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Ose.Training;

/// <summary>One step's report: loss, learning rate, throughput and the time left at this pace.</summary>
public sealed record TrainingStep(int Step, int Steps, double Loss, double LearningRate, double TokensPerSecond, TimeSpan Remaining);

/// <summary>
/// Masked-LM pretraining, with distillation when a teacher is given. Everything random is a function of
/// (seed, step): which sequences form a batch, which positions are masked, the dropout masks. So a run resumed
/// from a checkpoint after kill -9 continues the very loss curve an uninterrupted run draws.
/// </summary>
public sealed class Pretrainer(BertForMaskedLM model, SpecialTokens tokens, HyperParameters θ, long seed, Device device,
    Distillation? distillation = null)
{
    private readonly MaskingScheme masking = new(tokens.Mask, tokens.VocabularySize);

    /// <summary>
    /// Trains to θ's steps, resuming from <paramref name="checkpoint"/> when it holds one (and saving to it every
    /// <paramref name="checkpointEvery"/> steps and at the end). Returns the loss of every step from the first.
    /// </summary>
    public IReadOnlyList<double> Train(IReadOnlyList<long[]> corpus, TrainingCheckpoint? checkpoint, int checkpointEvery = 0,
        IProgress<TrainingStep>? progress = null, CancellationToken cancellation = default)
    {
        θ.Validate();
        if (checkpointEvery < 0) throw new UserInputException($"--checkpoint-every must not be negative, got {checkpointEvery}");
        if (corpus.Count == 0) throw new UserInputException("the pretraining corpus is empty");
        model.to(device);
        distillation?.Teacher.to(device).eval();
        using var optimizer = optim.AdamW(model.parameters(), θ.LearningRate, weight_decay: θ.WeightDecay);

        var record = new TrainingRecord(θ, seed);
        var losses = new List<double>();
        if (checkpoint?.TryLoad(model, model.Bert.Config, record, optimizer) is { } saved) losses.AddRange(saved);

        var order = new EpochOrder(corpus.Count, seed);
        var clock = Stopwatch.StartNew();
        int firstStep = losses.Count;
        for (int step = firstStep; step < θ.Steps; step++)
        {
            cancellation.ThrowIfCancellationRequested();
            double lr = θ.LearningRateAt(step);
            foreach (var group in optimizer.ParamGroups) group.LearningRate = lr;

            double loss = TrainStep(optimizer, corpus, order.Batch(step, θ.BatchSize), step);
            if (!double.IsFinite(loss))
                throw new UserInputException($"the loss became {loss} at step {step + 1}; " +
                    (checkpoint?.Exists == true ? "the last checkpoint is intact; " : "") + "lower the learning rate");
            losses.Add(loss);

            if (checkpoint is not null && checkpointEvery > 0 && ((step + 1) % checkpointEvery == 0 || step + 1 == θ.Steps))
                checkpoint.Save(model, model.Bert.Config, record, optimizer, losses);

            double perStep = clock.Elapsed.TotalSeconds / (step + 1 - firstStep);
            progress?.Report(new TrainingStep(step + 1, θ.Steps, loss, lr,
                θ.BatchSize * corpus[0].Length / perStep, TimeSpan.FromSeconds(perStep * (θ.Steps - step - 1))));
        }
        return losses;
    }

    private double TrainStep(OptimizerHelper optimizer, IReadOnlyList<long[]> corpus, int[] indices, int step)
    {
        using var scope = NewDisposeScope();
        model.train();
        long stepSeed = Seeds.Derive(seed, step);
        manual_seed(stepSeed);   // dropout draws from the global generator
        var batch = MaskedBatch(corpus, indices, new Generator((ulong)stepSeed, device));

        optimizer.zero_grad();
        var loss = Loss(batch);
        loss.backward();
        nn.utils.clip_grad_norm_(model.parameters(), θ.MaxGradientNorm);
        optimizer.step();
        if (θ.WeightClip is { } c) model.ClipWeights(c);
        return loss.item<float>();
    }

    /// <summary>Mean masked-LM loss per masked token over a held-out corpus, with masking fixed by the seed.</summary>
    public double Evaluate(IReadOnlyList<long[]> corpus)
    {
        if (corpus.Count == 0) throw new UserInputException("the held-out corpus is empty");
        model.to(device).eval();
        using var _ = no_grad();
        double total = 0;
        long count = 0;
        for (int start = 0; start < corpus.Count; start += θ.BatchSize)
        {
            using var scope = NewDisposeScope();
            var indices = Enumerable.Range(start, Math.Min(θ.BatchSize, corpus.Count - start)).ToArray();
            var batch = MaskedBatch(corpus, indices, new Generator((ulong)Seeds.Derive(seed, start), device));
            long masked = batch.Labels.shape[0];
            total += model.Loss(batch).item<float>() * masked;
            count += masked;
        }
        return total / count;
    }

    private MaskedLmBatch MaskedBatch(IReadOnlyList<long[]> corpus, int[] indices, Generator generator)
    {
        int length = corpus[0].Length;
        var flat = indices.SelectMany(k => corpus[k]).ToArray();
        var ids = tensor(flat, [indices.Length, length], ScalarType.Int64, device);
        var attention = ids.ne(tokens.Pad).to(ScalarType.Int64);
        var maskable = ids.ne(tokens.Pad).logical_and(ids.ne(tokens.Cls)).logical_and(ids.ne(tokens.Sep));
        return masking.Apply(ids, zeros_like(ids), attention, maskable, generator);
    }

    private Tensor Loss(MaskedLmBatch batch)
    {
        var logits = model.call(batch.InputIds, batch.TokenTypeIds, batch.AttentionMask, batch.MaskedPositions);
        var ce = F.cross_entropy(logits, batch.Labels);
        if (distillation is null) return ce;
        Tensor teacherLogits;
        using (no_grad())
            teacherLogits = distillation.Teacher.call(batch.InputIds, batch.TokenTypeIds, batch.AttentionMask, batch.MaskedPositions);
        return distillation.Alpha * ce + distillation.Beta * DistillationLoss(logits, teacherLogits, distillation.Temperature);
    }

    /// <summary>T²·KL(softmax(z_t/T) ‖ softmax(z_s/T)), averaged over the masked positions (PyTorch's "batchmean").</summary>
    public static Tensor DistillationLoss(Tensor studentLogits, Tensor teacherLogits, double temperature)
    {
        var logStudent = F.log_softmax(studentLogits / temperature, 1);
        var logTeacher = F.log_softmax(teacherLogits / temperature, 1);
        var kl = (logTeacher.exp() * (logTeacher - logStudent)).sum(1).mean();
        return kl * (temperature * temperature);
    }
}
