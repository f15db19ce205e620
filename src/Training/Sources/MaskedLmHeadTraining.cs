using Ose.Models.Sources;
using Ose.Models;
using Ose.Models.Checkpoints;
using Ose.Tasks.Data;
using Ose.Training;
using static TorchSharp.torch;

namespace Ose.Training.Sources;

/// <summary>What training a masked-LM head over a frozen source gave.</summary>
public sealed record HeadTrainingOutcome(double DevLossBefore, double DevLossAfter, int Steps, string HeadFile);

/// <summary>
/// A masked-LM head for a source that has none (all-MiniLM-L6-v2 was trained for sentence embeddings): HF's
/// <c>cls.predictions</c> (dense, GELU, LayerNorm, decoder tied to the word embeddings, a bias) trained by masked-LM
/// cross-entropy on the prepared corpus over the frozen source, so the source's weights are untouched. `ose train-head`
/// saves it beside the source (<c>mlm-head.safetensors</c>), a study in its own run folder, for what needs a masked LM
/// over the source: Agora's text sampler.
/// </summary>
public static class MaskedLmHeadTraining
{
    public const string HeadFile = "mlm-head.safetensors";

    /// <summary>Where `ose train-head` keeps a source's head: beside the ONNX file, or in the Hugging Face folder.</summary>
    public static string HeadPath(WeightedSource source) => Path.Combine(
        source.Format == WeightsFormat.Onnx ? Path.GetDirectoryName(Path.GetFullPath(source.Location))! : source.Location, HeadFile);

    /// <summary>
    /// Trains (resuming from <paramref name="checkpointDirectory"/>) and writes the head to <paramref name="headFile"/>.
    /// Held-out loss as `ose pretrain` reports it: the first 64 dev sequences of θ's length, masking fixed by the seed,
    /// batches of θ's size.
    /// </summary>
    public static HeadTrainingOutcome Train(WeightedSource source, DataDirectory data, HyperParameters θ, long seed,
        string checkpointDirectory, string headFile, IProgress<TrainingStep>? progress = null, CancellationToken cancellation = default)
    {
        using var weights = source.ReadWeights();
        if (weights.HasMaskedLmHead)
            throw new UserInputException($"{source.Name} has a masked-LM head of its own (cls.predictions)");
        var corpus = SourceCorpus.Load(source, weights.Config, data, θ.MaxLength);
        var device = CPU;
        manual_seed(seed);
        // Dropout 0: the encoder is frozen, and its features should be the ones Agora's sampler will read.
        using var model = new BertForMaskedLM(weights.Config with { Dropout = 0 }, device);
        SourceModels.CopyInto(model.Bert, weights.Tensors, name => name);
        foreach (var p in model.Bert.parameters()) p.requires_grad = false;

        var trainer = new Pretrainer(model, corpus.Tokens, θ, seed, device);
        double before = trainer.Evaluate(corpus.Dev);
        var losses = trainer.Train(corpus.Train, new TrainingCheckpoint(checkpointDirectory), checkpointEvery: Math.Max(1, θ.Steps / 10),
            progress, cancellation);
        double after = trainer.Evaluate(corpus.Dev);

        var head = model.state_dict().Where(p => p.Key.StartsWith("cls.", StringComparison.Ordinal)).ToDictionary(p => p.Key, p => p.Value);
        SafeTensors.Write(head, headFile);
        return new HeadTrainingOutcome(before, after, losses.Count, headFile);
    }

    /// <summary>The source's weights with a trained head added (its own when it has one): the one in <paramref name="headFile"/>, by default the one beside it.</summary>
    public static SourceWeights ReadWithHead(WeightedSource source, string? headFile = null)
    {
        var weights = source.ReadWeights();
        if (weights.HasMaskedLmHead) return weights;
        string path = headFile ?? HeadPath(source);
        if (!File.Exists(path))
        {
            weights.Dispose();
            throw new UserInputException($"{source.Name} has no masked-LM head: train one with `ose train-head --source {source.Name}`");
        }
        var tensors = weights.Tensors.ToDictionary(p => p.Key, p => p.Value.clone());
        foreach (var (name, t) in SafeTensors.ReadAll(path)) tensors[name] = t;
        var config = weights.Config;
        weights.Dispose();
        return new SourceWeights(config, tensors, path);
    }
}
