using System.Globalization;
using Ose.Models.Extraction;
using Ose.Models.Sources;
using Ose.Models.Training;
using Ose.Objectives;
using static TorchSharp.torch;

namespace Ose.Models.Distil;

/// <summary>
/// e(ξ) by distillation from a source with weights (DESIGN §2.6), as Minitron and DynaBERT score candidates: cut ξ out
/// of the source (<see cref="Extractor"/>, by the importance measured once), distil it for a number of steps that grows
/// with 1/ε, and take the held-out <see cref="DistillationScore.Error"/>; for each θ ∈ Θ, keeping the least. Training
/// checkpoints live under <paramref name="workDirectory"/>, so a search killed mid-candidate resumes mid-candidate.
/// </summary>
public sealed class DistilledError(
    SourceWeights source,
    Importance importance,
    TeacherOutputs teacher,
    SpecialTokens tokens,
    IReadOnlyList<long[]> train,
    IReadOnlyList<long[]> dev,
    TrainingBudget budget,
    IReadOnlyList<HyperParameters> theta,
    Device device,
    string workDirectory,
    string identity,
    long seed = 0) : IObjective
{
    public string Name => "error";

    public string Identity => string.Create(CultureInfo.InvariantCulture,
        $"distil:steps={budget.Steps},batch={budget.BatchSize},seq={train[0].Length},Θ=[{string.Join(';', theta)}],seed={seed},{identity}");

    public double Evaluate(Architecture ξ, CancellationToken cancellation = default) => Score(ξ, cancellation).Error;

    /// <summary>The best θ's held-out score of ξ.</summary>
    public DistillationScore Score(Architecture ξ, CancellationToken cancellation = default)
    {
        var plan = ExtractionPlan.For(importance, source.Config, ξ);
        using var extracted = Extractor.Extract(source, plan, seed);
        DistillationScore? best = null;
        for (int t = 0; t < theta.Count; t++)
        {
            var θ = theta[t];
            var options = new PretrainingOptions(budget.Steps, budget.BatchSize, θ.LearningRate, θ.WarmupSteps,
                CheckpointEvery: Math.Max(1, budget.Steps / 4), Seed: seed);
            manual_seed(seed);
            using var student = new DistillationStudent(extracted, plan, source.Config.H, device);
            var distiller = new Distiller(student, teacher, tokens, options, device);
            string checkpoints = Path.Combine(workDirectory, $"{ξ.D}-{ξ.A}-{ξ.H}-{ξ.I}", $"theta-{t}");
            try
            {
                distiller.Train(train, checkpoints, cancellation: cancellation);
            }
            catch (UserInputException) when (theta.Count > 1)
            {
                continue;   // this θ diverged; another may not, and W keeps the best θ
            }
            var score = distiller.Evaluate(dev);
            if (best is null || score.Error < best.Error) best = score;
        }
        return best ?? throw new UserInputException($"distilling {ξ.ToShortString()} diverged for every θ; lower the learning rates");
    }
}
