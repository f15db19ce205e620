using System.Security.Cryptography;
using Ose.Tasks.Data;
using Ose.Models;
using Ose.Models.Extraction;
using Ose.Models.Sources;
using Ose.Training.Sources;
using Ose.Runs;

namespace Ose.Training.Distil;

/// <summary>
/// The defaults of the distillation error (docs/real-source.md): the prepared corpus in batches of 8 sequences of 64
/// tokens, ⌈10/ε⌉ steps (100 at ε = 0.1), one θ: AdamW at 3e-4 with 10% warm-up; importance measured once per run on
/// 64 training sequences and kept in the run directory, so a resumed search extracts exactly as before.
/// </summary>
public static class DistilledErrorSetup
{
    public const int SequenceLength = 64;
    public const int BatchSize = 8;
    public const int StepsAtEpsilonOne = 10;
    public const double LearningRate = 3e-4;

    /// <summary>Where, in a search's run directory, candidates are distilled (<see cref="TrainedError.CheckpointDirectory"/>).</summary>
    public const string WorkFolder = "distillation";

    public static ErrorProvider Create(ErrorContext context, string? dataDirectory, string deviceName)
    {
        var source = context.Source;
        if (source.Weights is null)
            throw new UserInputException($"--errors distil needs a source with weights (minilm, an ONNX file, a Hugging Face folder); {source.Name} has none");
        RequireWithin(context.Candidates, source.Architecture);

        var device = Devices.Parse(deviceName);
        var data = DataDirectory.Resolve(dataDirectory);
        var weighted = WeightedSource.At(source);
        var weights = weighted.ReadWeights();
        var corpus = SourceCorpus.Load(weighted, weights.Config, data, SequenceLength);
        string work = Path.Combine(context.RunDirectory, WorkFolder);
        Directory.CreateDirectory(work);
        string importancePath = Path.Combine(work, "importance.json");
        var importance = Importance.TryLoad(importancePath);
        if (importance is null)
        {
            importance = Importance.Measure(weights, CalibrationSample.Draw(corpus.Train, CalibrationSample.DefaultSequences, context.Seed), corpus.Tokens.Pad);
            importance.Save(importancePath);
        }
        var theta = new[] { Hyperparameters(context.Epsilon) };
        string identity = $"corpus={corpus.Identity},source={WeightsDigest(weighted)}";
        // The teacher's outputs are cached by step, and another seed draws other batches: one cache per seed.
        DistilledError WithSeed(int repeat) => new(weights, importance, new TeacherOutputs(weights, device), corpus.Tokens,
            corpus.Train, corpus.Dev, theta, device, repeat == 0 ? work : Path.Combine(work, $"repeat-{repeat}"), identity,
            context.Seed + repeat, context.Steps);
        // Another seed is another distillation of the same candidate: the spread of a few measures the error's noise.
        return new ErrorProvider(WithSeed(0), CostGrowsWithSize: true, Repeat: WithSeed);
    }

    /// <summary>The one θ: ⌈10/ε⌉ steps (polynomial in 1/ε, DESIGN §2.3), 10% warm-up.</summary>
    public static HyperParameters Hyperparameters(double epsilon, int stepsFactor = 1) =>
        new(LearningRate, stepsFactor * (int)Math.Ceiling(StepsAtEpsilonOne / epsilon), BatchSize, SequenceLength);

    /// <summary>
    /// Every candidate must be a proper sub-architecture: one larger on some axis cannot be extracted, and the source's
    /// own shape distils to itself, an error of 0 that W cannot divide by (its W is 0 whatever its error).
    /// </summary>
    public static void RequireWithin(IReadOnlyList<Architecture> candidates, Architecture source)
    {
        var oversized = candidates.FirstOrDefault(ξ => !source.Dominates(ξ));
        if (oversized != default)
            throw new UserInputException($"the space holds {oversized}, larger than the source {source} on some axis: distillation extracts candidates from the source; pass a --space within it");
        if (candidates.Contains(source))
            throw new UserInputException($"the space holds the source's own shape {source}, whose distillation error is 0 (and W 0): pass a --space without it");
    }

    /// <summary>The first 12 hex digits of the weights file's sha256: results of another source are never reused.</summary>
    private static string WeightsDigest(WeightedSource source)
    {
        string file = source.Format == WeightsFormat.Onnx ? source.Location : Path.Combine(source.Location, Ose.Models.Checkpoints.StudentFolder.WeightsFile);
        using var stream = File.OpenRead(file);
        return Convert.ToHexStringLower(SHA256.HashData(stream))[..12];
    }
}
