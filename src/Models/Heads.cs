using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;
using F = TorchSharp.torch.nn.functional;

namespace Ose.Models;

// The output layers (C in DESIGN 2.1) on top of BertModel, named as HF's BertForMaskedLM,
// BertForSequenceClassification and BertForTokenClassification name theirs: bert.*, cls.predictions.*, classifier.*.

/// <summary>
/// HF BertForMaskedLM. Scores the vocabulary only at the masked positions: full logits at every position cost
/// several times the rest of a training step at V = 30522 on CPU.
/// </summary>
public sealed class BertForMaskedLM : Module<Tensor, Tensor, Tensor, Tensor, Tensor>
{
    readonly BertModel bert;
    readonly MaskedLmHead cls;

    public BertForMaskedLM(EncoderConfig config, Device? device = null) : base(nameof(BertForMaskedLM))
    {
        bert = new BertModel(config, device);
        cls = new MaskedLmHead(config, device);
        RegisterComponents();
        BertInitialization.Apply(cls);
    }

    public BertModel Bert => bert;

    /// <param name="maskedPositions">[N, L] booleans, true where the loss is taken.</param>
    /// <returns>Logits [M, V] at the M masked positions, in row-major order.</returns>
    public override Tensor forward(Tensor inputIds, Tensor tokenTypeIds, Tensor attentionMask, Tensor maskedPositions)
    {
        var hidden = bert.call(inputIds, tokenTypeIds, attentionMask);
        return cls.call(hidden[maskedPositions], bert.WordEmbeddings);
    }

    /// <summary>Masked-LM cross-entropy (nats per masked token).</summary>
    public Tensor Loss(MaskedLmBatch batch) =>
        F.cross_entropy(call(batch.InputIds, batch.TokenTypeIds, batch.AttentionMask, batch.MaskedPositions), batch.Labels);
}

/// <summary>HF BertOnlyMLMHead, the "cls" of the checkpoint.</summary>
sealed class MaskedLmHead : Module<Tensor, Tensor, Tensor>
{
    readonly MaskedLmPredictions predictions;

    public MaskedLmHead(EncoderConfig c, Device? device) : base(nameof(MaskedLmHead))
    {
        predictions = new MaskedLmPredictions(c, device);
        RegisterComponents();
    }

    public override Tensor forward(Tensor hidden, Tensor wordEmbeddings) => predictions.call(hidden, wordEmbeddings);
}

/// <summary>
/// HF BertLMPredictionHead: dense, GELU, LayerNorm, then the decoder. The decoder's weight is the word embedding
/// matrix (tied, so it adds no parameters); only its bias [V] is the head's own.
/// </summary>
sealed class MaskedLmPredictions : Module<Tensor, Tensor, Tensor>
{
    readonly PredictionTransform transform;
    readonly Parameter bias;

    public MaskedLmPredictions(EncoderConfig c, Device? device) : base(nameof(MaskedLmPredictions))
    {
        transform = new PredictionTransform(c, device);
        bias = Parameter(zeros(c.V, device: device));
        RegisterComponents();
    }

    public override Tensor forward(Tensor hidden, Tensor wordEmbeddings) => F.linear(transform.call(hidden), wordEmbeddings, bias);
}

/// <summary>HF BertPredictionHeadTransform.</summary>
sealed class PredictionTransform : Module<Tensor, Tensor>
{
    readonly Linear dense;
    [ComponentName(Name = "LayerNorm")] readonly LayerNorm layerNorm;

    public PredictionTransform(EncoderConfig c, Device? device) : base(nameof(PredictionTransform))
    {
        dense = Linear(c.H, c.H, device: device);
        layerNorm = LayerNorm(c.H, EncoderConfig.LayerNormEpsilon, device: device);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => layerNorm.call(F.gelu(dense.call(x)));
}

/// <summary>
/// Sentence (pair) classification as Bort did it: a single linear layer on the first token. With a pooler
/// (BERT's checkpoints have one) the first token goes through it first, as in HF BertForSequenceClassification.
/// </summary>
public sealed class BertForSequenceClassification : Module<Tensor, Tensor, Tensor, Tensor>
{
    readonly BertModel bert;
    readonly Dropout dropout;
    readonly Linear classifier;

    public BertForSequenceClassification(EncoderConfig config, int classes, Device? device = null) : base(nameof(BertForSequenceClassification))
    {
        if (classes < 2) throw new ArgumentException($"a classifier needs at least 2 classes, not {classes}");
        bert = new BertModel(config, device);
        dropout = Dropout(config.Dropout);
        classifier = Linear(config.H, classes, device: device);
        RegisterComponents();
        BertInitialization.Apply(classifier);
    }

    public BertModel Bert => bert;

    /// <returns>Logits [N, classes].</returns>
    public override Tensor forward(Tensor inputIds, Tensor tokenTypeIds, Tensor attentionMask) =>
        classifier.call(dropout.call(bert.FirstToken(bert.call(inputIds, tokenTypeIds, attentionMask))));
}

/// <summary>
/// Token tagging (HF BertForTokenClassification, BERT's NER set-up of Devlin et al. 2019, §5.3): dropout and a linear
/// layer on every token's final hidden state. The pooler, where the config has one, is not used.
/// </summary>
public sealed class BertForTokenClassification : Module<Tensor, Tensor, Tensor, Tensor>
{
    readonly BertModel bert;
    readonly Dropout dropout;
    readonly Linear classifier;

    public BertForTokenClassification(EncoderConfig config, int tags, Device? device = null) : base(nameof(BertForTokenClassification))
    {
        if (tags < 2) throw new ArgumentException($"a tagger needs at least 2 tags, not {tags}");
        bert = new BertModel(config, device);
        dropout = Dropout(config.Dropout);
        classifier = Linear(config.H, tags, device: device);
        RegisterComponents();
        BertInitialization.Apply(classifier);
    }

    public BertModel Bert => bert;

    /// <returns>Logits [N, L, tags].</returns>
    public override Tensor forward(Tensor inputIds, Tensor tokenTypeIds, Tensor attentionMask) =>
        classifier.call(dropout.call(bert.call(inputIds, tokenTypeIds, attentionMask)));
}
