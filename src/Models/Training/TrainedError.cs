using System.Globalization;
using Ose.Objectives;
using static TorchSharp.torch;

namespace Ose.Models.Training;

/// <summary>One hyperparameter set θ of Θ: what a candidate is trained with.</summary>
public sealed record HyperParameters(double LearningRate, int WarmupSteps = 0, double? WeightClip = null)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"lr={LearningRate:G3},warmup={WarmupSteps}{(WeightClip is { } c ? $",clip={c:G3}" : "")}");
}

/// <summary>
/// e(ξ) by bounded training (DESIGN §2.2): pretrain ξ from scratch with masked LM for a number of steps that grows with
/// 1/ε, for each θ ∈ Θ, and take the least held-out masked-LM loss (nats per masked token), so W keeps the best θ.
/// Training checkpoints live under <paramref name="workDirectory"/>, so a search killed mid-training resumes mid-candidate.
/// </summary>
public sealed class TrainedError(
    FixedShape shape,
    SpecialTokens tokens,
    IReadOnlyList<long[]> train,
    IReadOnlyList<long[]> dev,
    TrainingBudget budget,
    IReadOnlyList<HyperParameters> theta,
    Device device,
    string workDirectory,
    string corpusIdentity,
    long seed = 0,
    IProgress<Search.EvaluationStep>? steps = null) : IObjective
{
    public string Name => "error";

    public string Identity => string.Create(CultureInfo.InvariantCulture,
        $"mlm:steps={budget.Steps},batch={budget.BatchSize},seq={train[0].Length},Θ=[{string.Join(';', theta)}],seed={seed},corpus={corpusIdentity}");

    public double Evaluate(Architecture ξ, CancellationToken cancellation = default)
    {
        double best = double.PositiveInfinity;
        for (int t = 0; t < theta.Count; t++)
        {
            var θ = theta[t];
            var options = new PretrainingOptions(budget.Steps, budget.BatchSize, θ.LearningRate, θ.WarmupSteps,
                WeightClip: θ.WeightClip, CheckpointEvery: Math.Max(1, budget.Steps / 4), Seed: seed);
            manual_seed(seed);
            using var model = new BertForMaskedLM(EncoderConfig.From(ξ, shape), device);
            var trainer = new Pretrainer(model, tokens, options, device);
            string checkpoints = Path.Combine(workDirectory, $"{ξ.D}-{ξ.A}-{ξ.H}-{ξ.I}", $"theta-{t}");
            try
            {
                int done = t * budget.Steps, planned = theta.Count * budget.Steps;
                var reportSteps = steps is null ? null : new Progress(step => steps.Report(
                    new Search.EvaluationStep(done + step.Step, planned, step.Remaining * (planned - done - step.Step) / Math.Max(1, budget.Steps - step.Step))));
                trainer.Train(train, checkpoints, reportSteps, cancellation);
            }
            catch (UserInputException) when (theta.Count > 1)
            {
                continue;   // this θ diverged; another may not, and W keeps the best θ
            }
            best = Math.Min(best, trainer.Evaluate(dev, seed));
        }
        if (double.IsPositiveInfinity(best))
            throw new UserInputException($"training {ξ.ToShortString()} diverged for every θ; lower the learning rates");
        return best;
    }
}

/// <summary>Calls back on the training's own thread, so steps arrive in order.</summary>
file sealed class Progress(Action<TrainingStep> report) : IProgress<TrainingStep>
{
    public void Report(TrainingStep value) => report(value);
}

/// <summary>
/// The training budget of one candidate: steps = ⌈S₁ / ε⌉, so halving ε doubles the training (polynomial in 1/ε,
/// as the FPTAS requires; DESIGN §2.3).
/// </summary>
public sealed record TrainingBudget(int Steps, int BatchSize)
{
    public static TrainingBudget For(double epsilon, int stepsAtEpsilonOne, int batchSize) =>
        new((int)Math.Ceiling(stepsAtEpsilonOne / epsilon), batchSize);
}
