using Ose.Models;
using Ose.Models.Checkpoints;
using Ose.Models.Text;
using Ose.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Ose.Training.Distil;

/// <summary>Held-out distillation loss of a student.</summary>
/// <param name="UnexplainedVariance">
/// Σ‖P(h_s) − h_t‖² / Σ‖h_t − μ_t‖² over the non-padded tokens: the share of the variance of the source's last hidden
/// state the student does not reproduce (1 − R²); 0 for the source itself, about 1 for a constant guess.
/// </param>
/// <param name="MaskedLmDivergence">KL(teacher ‖ student) of the masked-LM distributions in nats per masked token, when the source has a head.</param>
public sealed record DistillationScore(double UnexplainedVariance, double? MaskedLmDivergence)
{
    /// <summary>The error e(ξ): the two added, each 0 when the student is the source.</summary>
    public double Error => UnexplainedVariance + (MaskedLmDivergence ?? 0);
}

/// <summary>
/// Distils an extracted student against the frozen source (DESIGN §2.6): mean squared error between the student's
/// mapped last hidden state and the source's over non-padded tokens, plus KL(teacher ‖ student) of the masked-LM
/// logits at masked positions when the source has a head (inputs are then masked BERT's way). No dropout: the score
/// should move with ξ, not with noise. Batches, masking and everything random are functions of (seed, step), as in
/// <see cref="Pretrainer"/>, so a resumed run continues the uninterrupted one and all candidates read the same batches.
/// </summary>
public sealed class Distiller(DistillationStudent student, TeacherOutputs teacher, SpecialTokens tokens, HyperParameters θ, long seed, Device device)
{
    private readonly MaskingScheme masking = new(tokens.Mask, tokens.VocabularySize);

    /// <summary>
    /// Trains to θ's steps (or to <paramref name="untilStep"/>, on θ's schedule, to be continued by a later call),
    /// resuming from <paramref name="checkpoint"/> when it holds one (and saving to it every
    /// <paramref name="checkpointEvery"/> steps and where it stops); returns the loss of every step.
    /// </summary>
    public IReadOnlyList<double> Train(IReadOnlyList<long[]> corpus, TrainingCheckpoint? checkpoint, int checkpointEvery = 0,
        IProgress<TrainingStep>? progress = null, CancellationToken cancellation = default, int? untilStep = null)
    {
        θ.Validate();
        if (corpus.Count == 0) throw new UserInputException("the distillation corpus is empty");
        student.to(device);
        using var optimizer = optim.AdamW(student.parameters(), θ.LearningRate, weight_decay: θ.WeightDecay);
        var record = new TrainingRecord(θ, seed);
        var losses = new List<double>();
        if (checkpoint?.TryLoad(student, student.Config, record, optimizer) is { } saved) losses.AddRange(saved);

        var order = new EpochOrder(corpus.Count, seed);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        int firstStep = losses.Count, lastStep = Math.Min(untilStep ?? θ.Steps, θ.Steps);
        for (int step = firstStep; step < lastStep; step++)
        {
            cancellation.ThrowIfCancellationRequested();
            foreach (var group in optimizer.ParamGroups) group.LearningRate = θ.LearningRateAt(step);
            double loss;
            using (NewDisposeScope())
            {
                student.train();
                optimizer.zero_grad();
                var batch = Batch(corpus, order.Batch(step, θ.BatchSize), Seeds.Derive(seed, step));
                var total = Loss(batch, key: step);
                total.backward();
                nn.utils.clip_grad_norm_(student.parameters(), θ.MaxGradientNorm);
                optimizer.step();
                loss = total.item<float>();
            }
            if (!double.IsFinite(loss))
                throw new UserInputException($"the distillation loss became {loss} at step {step + 1}; lower the learning rate");
            losses.Add(loss);
            if (checkpoint is not null && checkpointEvery > 0 && ((step + 1) % checkpointEvery == 0 || step + 1 == lastStep))
                checkpoint.Save(student, student.Config, record, optimizer, losses);
            double perStep = clock.Elapsed.TotalSeconds / (step + 1 - firstStep);
            progress?.Report(new TrainingStep(step + 1, θ.Steps, loss, θ.LearningRateAt(step),
                θ.BatchSize * corpus[0].Length / perStep, TimeSpan.FromSeconds(perStep * (θ.Steps - step - 1))));
        }
        return losses;
    }

    /// <summary>The held-out score; masking (when the source has a head) is fixed by the seed.</summary>
    public DistillationScore Evaluate(IReadOnlyList<long[]> dev)
    {
        if (dev.Count == 0) throw new UserInputException("the held-out corpus is empty");
        student.to(device).eval();
        using var _ = no_grad();
        double squaredError = 0, divergence = 0;
        long masked = 0;
        var sum = zeros(teacher.Width, dtype: ScalarType.Float64);
        var sumOfSquares = zeros(teacher.Width, dtype: ScalarType.Float64);
        long count = 0;
        for (int start = 0; start < dev.Count; start += θ.BatchSize)
        {
            using var scope = NewDisposeScope();
            var indices = Enumerable.Range(start, Math.Min(θ.BatchSize, dev.Count - start)).ToArray();
            var batch = Batch(dev, indices, Seeds.Derive(seed, -1L - start));
            // Keys below zero: held-out batches, apart from the training steps.
            var (own, mapped, target) = Forward(batch, key: -1L - start);
            squaredError += (mapped - target).pow(2).sum().item<float>();
            var t = target.to_type(ScalarType.Float64);
            sum.add_(t.sum(dim: 0).cpu());
            sumOfSquares.add_(t.pow(2).sum(dim: 0).cpu());
            count += t.shape[0];
            if (teacher.HasMaskedLmHead)
            {
                long m = batch.MaskedPositions.sum().item<long>();
                divergence += MaskedLmDivergence(own, batch, key: -1L - start).item<float>() * m;
                masked += m;
            }
        }
        // Σ‖h − μ‖² = Σ‖h‖² − n‖μ‖², per channel, summed.
        double variance = (sumOfSquares - sum.pow(2) / count).sum().item<double>();
        sum.Dispose();
        sumOfSquares.Dispose();
        return new DistillationScore(squaredError / variance, teacher.HasMaskedLmHead ? divergence / masked : null);
    }

    private Tensor Loss(MaskedLmBatch batch, long key)
    {
        var (own, mapped, target) = Forward(batch, key);
        var loss = (mapped - target).pow(2).mean();
        return teacher.HasMaskedLmHead ? loss + MaskedLmDivergence(own, batch, key) : loss;
    }

    /// <returns>The student's own hidden state [N, L, H'], and at the non-padded tokens its mapped state and the source's [M, H].</returns>
    private (Tensor Own, Tensor Mapped, Tensor Target) Forward(MaskedLmBatch batch, long key)
    {
        var (own, mapped) = student.Hidden(batch.InputIds, batch.TokenTypeIds, batch.AttentionMask);
        var target = teacher.Hidden(key, batch.InputIds, batch.TokenTypeIds, batch.AttentionMask);
        var tokens = batch.AttentionMask.to(ScalarType.Bool);
        return (own, mapped[tokens], target[tokens]);
    }

    private Tensor MaskedLmDivergence(Tensor own, MaskedLmBatch batch, long key)
    {
        var target = teacher.Hidden(key, batch.InputIds, batch.TokenTypeIds, batch.AttentionMask);
        return Pretrainer.DistillationLoss(student.Logits(own, batch.MaskedPositions), teacher.Logits(target, batch.MaskedPositions), temperature: 1);
    }

    /// <summary>A batch of sequences: masked BERT's way when the source has a masked-LM head, as it is otherwise.</summary>
    private MaskedLmBatch Batch(IReadOnlyList<long[]> corpus, int[] indices, long seed)
    {
        int length = corpus[0].Length;
        var ids = tensor(indices.SelectMany(k => corpus[k]).ToArray(), [indices.Length, length], ScalarType.Int64, device);
        var attention = ids.ne(tokens.Pad).to(ScalarType.Int64);
        if (!teacher.HasMaskedLmHead)
            return new MaskedLmBatch(ids, zeros_like(ids), attention, zeros_like(ids).to(ScalarType.Bool), empty(0, dtype: ScalarType.Int64));
        var maskable = ids.ne(tokens.Pad).logical_and(ids.ne(tokens.Cls)).logical_and(ids.ne(tokens.Sep));
        return masking.Apply(ids, zeros_like(ids), attention, maskable, new Generator((ulong)seed, device));
    }
}
