using System.Globalization;

namespace Ose;

/// <summary>
/// One hyperparameter set θ ∈ Θ (DESIGN §2.3: W keeps the best θ of each candidate): how a model is trained, whether
/// pretrained, distilled or fine-tuned. AdamW at a peak learning rate with linear warm-up over the first
/// <see cref="WarmupShare"/> of the steps, then linear decay to zero; gradient norm clipping; optional weight clipping
/// (the compact weights the OSE papers assume, DESIGN §2.1); held-out evaluation every <see cref="EvaluateEvery"/> steps.
/// </summary>
/// <param name="MaxLength">Tokens per sequence: the packed length in pretraining, the cut-off in fine-tuning.</param>
public sealed record HyperParameters(
    double LearningRate = 1e-4,
    int Steps = 200,
    int BatchSize = 16,
    int MaxLength = 64,
    double WarmupShare = 0.1,
    double WeightDecay = 0.01,
    double MaxGradientNorm = 1.0,
    double? WeightClip = null,
    int EvaluateEvery = 25)
{
    public void Validate()
    {
        if (!(LearningRate > 0) || !double.IsFinite(LearningRate)) throw new UserInputException($"the learning rate must be positive, got {LearningRate}");
        if (Steps < 1) throw new UserInputException($"steps must be positive, got {Steps}");
        if (BatchSize < 1) throw new UserInputException($"the batch size must be positive, got {BatchSize}");
        if (MaxLength < 4) throw new UserInputException($"the sequence length must be at least 4 tokens, got {MaxLength}");
        if (!(WarmupShare is >= 0 and <= 1)) throw new UserInputException($"the warm-up share must lie in [0, 1], got {WarmupShare}");
        if (!(WeightDecay >= 0) || !double.IsFinite(WeightDecay)) throw new UserInputException($"the weight decay must not be negative, got {WeightDecay}");
        if (!(MaxGradientNorm > 0) || !double.IsFinite(MaxGradientNorm)) throw new UserInputException($"the gradient norm bound must be positive, got {MaxGradientNorm}");
        if (WeightClip is { } c && (!(c > 0) || !double.IsFinite(c))) throw new UserInputException($"the weight clip must be positive, got {c}");
        if (EvaluateEvery < 1) throw new UserInputException($"evaluate-every must be positive, got {EvaluateEvery}");
    }

    public int WarmupSteps => (int)Math.Round(WarmupShare * Steps);

    /// <summary>Learning rate at a 0-based step: linear warm-up to the peak, then linear decay to zero at the end.</summary>
    public double LearningRateAt(int step) =>
        step < WarmupSteps
            ? LearningRate * (step + 1) / WarmupSteps
            : LearningRate * Math.Max(0, Steps - step) / Math.Max(1, Steps - WarmupSteps);

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"lr={LearningRate:G3},steps={Steps},batch={BatchSize},len={MaxLength},warmup={WarmupShare:G3},wd={WeightDecay:G3}{(WeightClip is { } c ? $",clip={c:G3}" : "")}");
}
