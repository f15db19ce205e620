using Ose.Models;
using static TorchSharp.torch;

namespace Ose.Training.FineTuning;

/// <summary>
/// The loop every fine-tuning shares (<see cref="TextClassifierTrainer"/>, <see cref="SlotTaggerTrainer"/>, Agora's MLPs):
/// AdamW on θ's learning-rate schedule over epoch-ordered batches, batches and dropout functions of (seed, step), a
/// dev evaluation every θ.EvaluateEvery steps and at the last, and the weights of the best dev score kept in memory
/// and restored at the end.
/// </summary>
public static class BestDevFineTuning
{
    /// <param name="trainCount">How many training examples the batches index.</param>
    /// <param name="loss">The loss of a batch, given its examples' indices; null when the batch has nothing to learn from.</param>
    /// <param name="evaluate">The dev score now, with the number it is ranked by.</param>
    public static (TScore Score, int Step) Fit<TScore>(nn.Module model, int trainCount, HyperParameters θ, long seed,
        Func<int[], Tensor?> loss, Func<(TScore Score, double Rank)> evaluate, IProgress<FineTuningStep>? progress,
        CancellationToken cancellation)
    {
        using var optimizer = optim.AdamW(model.parameters(), θ.LearningRate, weight_decay: θ.WeightDecay);
        var order = new EpochOrder(trainCount, seed);
        (TScore Score, double Rank, int Step) best = (default!, double.NegativeInfinity, 0);
        Dictionary<string, Tensor>? bestWeights = null;
        try
        {
            for (int step = 0; step < θ.Steps; step++)
            {
                cancellation.ThrowIfCancellationRequested();
                foreach (var group in optimizer.ParamGroups) group.LearningRate = θ.LearningRateAt(step);
                int[] batch = order.Batch(step, θ.BatchSize);
                double value = Step(model, optimizer, () => loss(batch), θ, Seeds.Derive(seed, step));
                if (!double.IsFinite(value))
                    throw new UserInputException($"the fine-tuning loss became {value} at step {step + 1}; lower the learning rate");

                double? rank = null;
                if ((step + 1) % θ.EvaluateEvery == 0 || step + 1 == θ.Steps)
                {
                    var (score, r) = evaluate();
                    rank = r;
                    if (r > best.Rank)
                    {
                        best = (score, r, step + 1);
                        DisposeAll(bestWeights);
                        bestWeights = model.state_dict().ToDictionary(p => p.Key, p => p.Value.detach().clone());
                    }
                }
                progress?.Report(new FineTuningStep(step + 1, θ.Steps, value, rank));
            }
            model.load_state_dict(bestWeights!);
            return (best.Score, best.Step);
        }
        finally
        {
            DisposeAll(bestWeights);
        }
    }

    private static double Step(nn.Module model, optim.Optimizer optimizer, Func<Tensor?> loss, HyperParameters θ, long stepSeed)
    {
        using var scope = NewDisposeScope();
        model.train();
        manual_seed(stepSeed);
        var value = loss();
        if (value is null) return 0;
        optimizer.zero_grad();
        value.backward();
        nn.utils.clip_grad_norm_(model.parameters(), θ.MaxGradientNorm);
        optimizer.step();
        if (θ.WeightClip is { } c) model.ClipWeights(c);
        return value.item<float>();
    }

    private static void DisposeAll(Dictionary<string, Tensor>? weights)
    {
        if (weights is null) return;
        foreach (var tensor in weights.Values) tensor.Dispose();
    }
}
