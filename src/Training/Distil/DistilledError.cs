using System.Globalization;
using Ose.Models.Extraction;
using Ose.Models.Text;
using Ose.Models.Sources;
using Ose.Training;
using Ose.Objectives;
using static TorchSharp.torch;

namespace Ose.Training.Distil;

/// <summary>
/// e(ξ) by distillation from a source with weights (DESIGN §2.6), as Minitron and DynaBERT score candidates: cut ξ out
/// of the source (<see cref="Extractor"/>, by the importance measured once), distil it for a number of steps that grows
/// with 1/ε, and take the held-out <see cref="DistillationScore.Error"/>; for each θ ∈ Θ, keeping the least. Training
/// checkpoints live under <paramref name="workDirectory"/>, so a search killed mid-candidate resumes mid-candidate.
/// Like <see cref="TrainedError"/>'s, the identity names the device and libtorch's intra-op thread count.
/// </summary>
public sealed class DistilledError(
    SourceWeights source,
    Importance importance,
    TeacherOutputs teacher,
    SpecialTokens tokens,
    IReadOnlyList<long[]> train,
    IReadOnlyList<long[]> dev,
    IReadOnlyList<HyperParameters> theta,
    Device device,
    string workDirectory,
    string identity,
    long seed = 0,
    IProgress<Search.EvaluationStep>? steps = null) : IObjective
{
    private readonly string numerics = TrainedError.Numerics(device);

    public string Identity => string.Create(CultureInfo.InvariantCulture,
        $"distil:Θ=[{string.Join(';', theta)}],seed={seed},{identity},{numerics}");

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
            manual_seed(seed);
            using var student = new DistillationStudent(extracted, plan, source.Config.H, device);
            var distiller = new Distiller(student, teacher, tokens, θ, seed, device);
            var checkpoint = new TrainingCheckpoint(TrainedError.CheckpointDirectory(workDirectory, ξ, t));
            try
            {
                distiller.Train(train, checkpoint, checkpointEvery: Math.Max(1, θ.Steps / 4), TrainedError.StepsOf(theta, t, steps), cancellation);
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
