using System.Globalization;
using Ose.Models.Text;
using Ose.Models;
using Ose.Objectives;
using static TorchSharp.torch;

namespace Ose.Training;

/// <summary>
/// e(ξ) by bounded training (DESIGN §2.2): pretrain ξ from scratch with masked LM for a number of steps that grows with
/// 1/ε, for each θ ∈ Θ, and take the least held-out masked-LM loss (nats per masked token), so W keeps the best θ.
/// Training checkpoints live under <paramref name="workDirectory"/>, so a search killed mid-training resumes mid-candidate.
/// The identity of its errors (the key of stored trials) names everything that changes the numbers: Θ, seed, corpus, the
/// device, and libtorch's intra-op thread count, since CPU kernels split their sums by thread (the same candidate's error
/// differs in the 7th digit between 1 and 2 threads). A store is reused only by a run that would compute the same errors.
/// </summary>
public sealed class TrainedError(
    FixedShape shape,
    SpecialTokens tokens,
    IReadOnlyList<long[]> train,
    IReadOnlyList<long[]> dev,
    IReadOnlyList<HyperParameters> theta,
    Device device,
    string workDirectory,
    string corpusIdentity,
    long seed = 0,
    IProgress<Search.EvaluationStep>? steps = null) : IObjective
{
    private readonly string numerics = Numerics(device);

    public string Identity => string.Create(CultureInfo.InvariantCulture,
        $"mlm:Θ=[{string.Join(';', theta)}],seed={seed},corpus={corpusIdentity},{numerics}");

    /// <summary>What changes a trained error's numbers besides its inputs: the device and libtorch's intra-op thread count now.</summary>
    internal static string Numerics(Device device) => $"device={device.type.ToString().ToLowerInvariant()},threads={get_num_threads()}";

    public double Evaluate(Architecture ξ, CancellationToken cancellation = default)
    {
        double best = double.PositiveInfinity;
        for (int t = 0; t < theta.Count; t++)
        {
            var θ = theta[t];
            manual_seed(seed);
            using var model = new BertForMaskedLM(EncoderConfig.From(ξ, shape), device);
            var trainer = new Pretrainer(model, tokens, θ, seed, device);
            var checkpoint = new TrainingCheckpoint(CheckpointDirectory(workDirectory, ξ, t));
            try
            {
                trainer.Train(train, checkpoint, checkpointEvery: Math.Max(1, θ.Steps / 4), StepsOf(theta, t, steps), cancellation);
            }
            catch (UserInputException) when (theta.Count > 1)
            {
                continue;   // this θ diverged; another may not, and W keeps the best θ
            }
            best = Math.Min(best, trainer.Evaluate(dev));
        }
        if (double.IsPositiveInfinity(best))
            throw new UserInputException($"training {ξ.ToShortString()} diverged for every θ; lower the learning rates");
        return best;
    }

    /// <summary>Where the training of candidate ξ under the t-th θ keeps its checkpoint (export reads the chosen one from there).</summary>
    public static string CheckpointDirectory(string workDirectory, Architecture ξ, int t) =>
        Path.Combine(workDirectory, $"{ξ.D}-{ξ.A}-{ξ.H}-{ξ.I}", $"theta-{t}");

    /// <summary>The steps of the t-th θ's training, reported as steps of the whole evaluation (all of Θ) with the time left for it.</summary>
    internal static IProgress<TrainingStep>? StepsOf(IReadOnlyList<HyperParameters> theta, int t, IProgress<Search.EvaluationStep>? steps)
    {
        if (steps is null) return null;
        int done = theta.Take(t).Sum(θ => θ.Steps), planned = theta.Sum(θ => θ.Steps);
        return new Progress(step =>
        {
            var perStep = step.Remaining / Math.Max(1, step.Steps - step.Step);
            steps.Report(new Search.EvaluationStep(done + step.Step, planned, perStep * (planned - done - step.Step)));
        });
    }
}

/// <summary>Calls back on the training's own thread, so steps arrive in order.</summary>
file sealed class Progress(Action<TrainingStep> report) : IProgress<TrainingStep>
{
    public void Report(TrainingStep value) => report(value);
}
