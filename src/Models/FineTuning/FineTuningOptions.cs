using System.Globalization;

namespace Ose.Models.FineTuning;

/// <summary>
/// One hyperparameter set θ for fine-tuning: AdamW at a peak learning rate with linear warm-up and decay over a fixed
/// number of optimizer steps, the dev metric taken every <see cref="EvaluateEvery"/> steps (the best step is kept).
/// </summary>
public sealed record FineTuningOptions(
    double LearningRate = 1e-4,
    int Steps = 200,
    int BatchSize = 16,
    double WarmupShare = 0.1,
    double WeightDecay = 0.01,
    int EvaluateEvery = 25,
    int MaxLength = 64)
{
    public void Validate()
    {
        if (!(LearningRate > 0) || !double.IsFinite(LearningRate)) throw new UserInputException($"learning rate must be positive, got {LearningRate}");
        if (Steps < 1) throw new UserInputException($"steps must be positive, got {Steps}");
        if (BatchSize < 1) throw new UserInputException($"batch size must be positive, got {BatchSize}");
        if (WarmupShare is < 0 or > 1) throw new UserInputException($"warm-up share must lie in [0, 1], got {WarmupShare}");
        if (EvaluateEvery < 1) throw new UserInputException($"evaluate-every must be positive, got {EvaluateEvery}");
        if (MaxLength < 4) throw new UserInputException($"max length must be at least 4 tokens, got {MaxLength}");
    }

    public double LearningRateAt(int step)
    {
        int warmup = (int)Math.Round(WarmupShare * Steps);
        return step < warmup
            ? LearningRate * (step + 1) / warmup
            : LearningRate * Math.Max(0, Steps - step) / Math.Max(1, Steps - warmup);
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"lr={LearningRate:G3} steps={Steps} batch={BatchSize} wd={WeightDecay:G3}");
}
