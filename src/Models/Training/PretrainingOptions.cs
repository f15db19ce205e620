namespace Ose.Models.Training;

/// <summary>
/// How a student is pretrained (DESIGN §2.4): AdamW with linear warm-up then linear decay to zero, gradient norm
/// clipping, optional weight clipping (the compactness the OSE papers assume), checkpoints every K steps.
/// </summary>
public sealed record PretrainingOptions(
    int Steps,
    int BatchSize = 32,
    double LearningRate = 1e-3,
    int WarmupSteps = 0,
    double WeightDecay = 0.01,
    double MaxGradientNorm = 1.0,
    double? WeightClip = null,
    int CheckpointEvery = 0,
    long Seed = 0)
{
    public void Validate()
    {
        if (Steps < 1) throw new UserInputException($"--steps must be positive, got {Steps}");
        if (BatchSize < 1) throw new UserInputException($"--batch must be positive, got {BatchSize}");
        if (!(LearningRate > 0) || !double.IsFinite(LearningRate)) throw new UserInputException($"--lr must be positive, got {LearningRate}");
        if (WarmupSteps < 0 || WarmupSteps > Steps) throw new UserInputException($"--warmup must lie in [0, steps], got {WarmupSteps}");
        if (CheckpointEvery < 0) throw new UserInputException($"--checkpoint-every must not be negative, got {CheckpointEvery}");
        if (WeightClip is { } c && !(c > 0)) throw new UserInputException($"--weight-clip must be positive, got {c}");
    }

    /// <summary>Learning rate at a 0-based step: linear warm-up to the peak, then linear decay to zero at the end.</summary>
    public double LearningRateAt(int step) =>
        step < WarmupSteps
            ? LearningRate * (step + 1) / WarmupSteps
            : LearningRate * Math.Max(0, Steps - step) / Math.Max(1, Steps - WarmupSteps);
}

/// <summary>
/// Knowledge distillation from a teacher on the masked positions (Bort's pretraining loss):
/// α·CE(student, labels) + β·T²·KL(teacher_T ‖ student_T), with softmax at temperature T. Bort: α 0.1, β 0.5, T 2.
/// </summary>
public sealed record Distillation(BertForMaskedLM Teacher, double Alpha = 0.1, double Beta = 0.5, double Temperature = 2);
