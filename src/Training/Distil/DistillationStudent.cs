using Ose.Models;
using Ose.Models.Extraction;
using Ose.Models.Sources;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Ose.Training.Distil;

/// <summary>
/// A candidate being distilled: the extracted encoder ξ, a linear map P from its H' channels to the source's H (TinyBERT's
/// W_h, Jiao et al. 2020, eq. 8), and the sliced masked-LM head when the source has one. P starts as the embedding of the
/// kept channels into the source's (1 at [c_k, k]), so before any step P(student) is the source restricted to what was
/// kept, and the source's own shape is the source. The map lets every candidate be scored against the same target, the
/// source's whole last hidden state, whatever its width.
/// </summary>
public sealed class DistillationStudent : Module
{
    private readonly BertModel bert;
    private readonly Linear projection;
    private readonly MaskedLmHead? cls;

    public DistillationStudent(SourceWeights extracted, ExtractionPlan plan, int sourceHidden, Device device) : base(nameof(DistillationStudent))
    {
        var config = extracted.Config with { Dropout = 0 };
        Config = config;
        bert = new BertModel(config, device);
        projection = Linear(config.H, sourceHidden, device: device);
        cls = extracted.HasMaskedLmHead ? SourceModels.Head(extracted, device) : null;
        RegisterComponents();
        SourceModels.CopyInto(bert, extracted.Tensors, name => name);
        // The word embeddings stay as extracted: they are half of a small student's parameters, and updating a dense
        // V × H' table (and its Adam moments) every step costs more than the rest of a small student's step.
        bert.WordEmbeddings.requires_grad = false;
        using var _ = no_grad();
        projection.weight!.zero_();
        projection.bias!.zero_();
        for (int k = 0; k < plan.Channels.Length; k++) projection.weight[plan.Channels[k], k] = 1;
    }

    /// <summary>The extracted encoder's shape (dropout 0), which a checkpoint records.</summary>
    public EncoderConfig Config { get; }

    public bool HasMaskedLmHead => cls is not null;

    /// <summary>The extracted encoder being distilled (without P), as a student to fine-tune.</summary>
    public BertModel Encoder => bert;

    /// <returns>The student's last hidden state [N, L, H'] and its image P(·) in the source's space [N, L, H].</returns>
    public (Tensor Own, Tensor Mapped) Hidden(Tensor inputIds, Tensor tokenTypeIds, Tensor attentionMask)
    {
        var own = bert.call(inputIds, tokenTypeIds, attentionMask);
        return (own, projection.call(own));
    }

    /// <summary>Masked-LM logits [M, V] at the masked positions, from the student's own hidden state.</summary>
    public Tensor Logits(Tensor ownHidden, Tensor maskedPositions) =>
        cls?.call(ownHidden[maskedPositions], bert.WordEmbeddings) ?? throw new InvalidOperationException("the source has no masked-LM head");
}
