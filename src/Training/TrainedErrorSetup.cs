using Ose.Models;
using Ose.Runs;
using Ose.Tasks.Data;

namespace Ose.Training;

/// <summary>
/// The defaults of training-based error (docs/students.md): masked-LM on the prepared corpus, batches of 8 sequences
/// of 64 tokens, ⌈10/ε⌉ steps (100 at ε = 0.1), one θ: AdamW at 1e-3 with 10% warm-up.
/// </summary>
public static class TrainedErrorSetup
{
    public const int SequenceLength = 64;
    public const int BatchSize = 8;
    public const int StepsAtEpsilonOne = 10;
    public const double LearningRate = 1e-3;

    /// <summary>Where, in a search's run directory, candidates train (<see cref="TrainedError.CheckpointDirectory"/>).</summary>
    public const string TrainingFolder = "training";

    public static ErrorProvider Create(ErrorContext context, string? dataDirectory, string deviceName)
    {
        var device = Devices.Parse(deviceName);
        var corpus = PretrainingCorpus.Load(DataDirectory.Resolve(dataDirectory), SequenceLength);
        var theta = new[] { new HyperParameters(LearningRate, StepsFor(context.Epsilon), BatchSize, SequenceLength) };
        // Students read our corpus, so they take our tokenizer's vocabulary whatever the source's (RoBERTa's differs).
        var shape = context.Source.Shape with { V = corpus.Tokens.VocabularySize, HasPooler = false };
        var error = new TrainedError(shape, corpus.Tokens, corpus.Train, corpus.Dev, theta, device,
            Path.Combine(context.RunDirectory, TrainingFolder), corpus.Identity, context.Seed);
        return new ErrorProvider(error, CostGrowsWithSize: true);
    }

    /// <summary>
    /// The training of one candidate: ⌈S₁ / ε⌉ steps, so halving ε doubles it (polynomial in 1/ε, as the FPTAS requires;
    /// DESIGN §2.3).
    /// </summary>
    public static int StepsFor(double epsilon) => (int)Math.Ceiling(StepsAtEpsilonOne / epsilon);
}
