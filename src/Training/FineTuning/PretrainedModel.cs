using Ose.Models;
using Ose.Models.Checkpoints;
using Ose.Models.Sources;
using Ose.Tasks.Data;
using Ose.Training.Sources;
using static TorchSharp.torch;

namespace Ose.Training.FineTuning;

/// <summary>
/// What fine-tuning and Agora start from, whatever the user named: an `ose pretrain` output or student folder (an
/// encoder with its own masked LM), or a model with weights (minilm, an ONNX file, a Hugging Face folder such as
/// `ose extract` or `ose pretrain --init extract` writes), whose masked LM is its own head or the one `ose train-head`
/// trained beside it, when there is one. Owns its modules.
/// </summary>
public sealed class PretrainedModel : IDisposable
{
    /// <summary>BERT's dropout for fine-tuning a model whose config gives none (a source's weights are read with 0).</summary>
    public const double FineTuningDropout = 0.1;

    private readonly nn.Module owner;

    private PretrainedModel(BertModel encoder, BertForMaskedLM? maskedLm, string name)
    {
        (Encoder, MaskedLm, Name) = (encoder, maskedLm, name);
        owner = (nn.Module?)maskedLm ?? encoder;
    }

    public BertModel Encoder { get; }

    /// <summary>The encoder with a masked-LM head, which Agora's text sampler draws words from; null when there is none.</summary>
    public BertForMaskedLM? MaskedLm { get; }

    public string Name { get; }

    /// <summary>The masked LM, or one line saying how to get one.</summary>
    public BertForMaskedLM RequireMaskedLm() => MaskedLm ?? throw new UserInputException(
        $"{Name} has no masked-LM head for the text sampler: train one with `ose train-head --source {Name}`, or give another model with one");

    /// <param name="path">An `ose pretrain` output or student folder, a packaged source (minilm), an ONNX file or a Hugging Face folder.</param>
    /// <param name="headFile">For a source without a masked-LM head, the head to put over it; by default the one `ose train-head` wrote beside it, if any.</param>
    public static PretrainedModel Load(string path, DataDirectory data, Device device, string? headFile = null)
    {
        string folder = PretrainingRun.ModelFolderOf(path);
        if (IsStudentFolder(folder))
        {
            var student = StudentFolder.Load(folder, device);
            return new PretrainedModel(student.Bert, student, path);
        }
        var source = WeightedSource.TryResolve(folder, data)
            ?? throw new UserInputException($"--model {path}: not an `ose pretrain` output, a model folder, an ONNX file or a source with weights ({string.Join(", ", PackagedModels.Pinned.Select(m => m.Name))})");
        headFile ??= MaskedLmHeadTraining.HeadPath(source);
        using var weights = File.Exists(headFile) ? MaskedLmHeadTraining.ReadWithHead(source, headFile) : source.ReadWeights();
        if (weights.HasMaskedLmHead)
        {
            var maskedLm = SourceModels.MaskedLm(weights, device, FineTuningDropout);
            return new PretrainedModel(maskedLm.Bert, maskedLm, source.Name);
        }
        return new PretrainedModel(SourceModels.Encoder(weights, device, FineTuningDropout), null, source.Name);
    }

    /// <summary>A masked LM `ose pretrain` wrote (BertForMaskedLM, with its training record).</summary>
    private static bool IsStudentFolder(string folder) =>
        HuggingFaceModel.IsModelFolder(folder) && File.Exists(Path.Combine(folder, TrainingRecord.FileName))
        && HuggingFaceModel.Architecture(folder) == nameof(BertForMaskedLM);

    public void Dispose() => owner.Dispose();
}
