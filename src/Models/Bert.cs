using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;
using F = TorchSharp.torch.nn.functional;

namespace Ose.Models;

// The encoder of Devlin et al. 2019 laid out as Hugging Face's modeling_bert.py lays it out, one small class per box
// of the figure, read top to bottom: Embeddings → D × EncoderBlock → Pooler (the A, Bⁿ and C of DESIGN 2.1).
// Post-LN (LayerNorm after each residual add), GELU, learned positions. Field names are the checkpoint's names, so
// state_dict keys read like HF's (encoder.layer.0.attention.self.query.weight) and importing HF weights is a name
// table. Forward passes leave temporaries to the caller's torch.NewDisposeScope().

/// <summary>HF BertModel: token ids [N, L] → hidden states [N, L, H].</summary>
public sealed class BertModel : Module<Tensor, Tensor, Tensor, Tensor>
{
    readonly Embeddings embeddings;
    readonly Encoder encoder;
    readonly Pooler? pooler;

    public EncoderConfig Config { get; }

    // Before the first encoder, and so before MKL's first matrix product, which fixes its kernels for the process.
    static BertModel() => MklKernels.PreferAvx512();

    /// <param name="device">Where the parameters live; "meta" builds the shapes without allocating memory.</param>
    public BertModel(EncoderConfig config, Device? device = null) : base(nameof(BertModel))
    {
        config.Validate();
        Config = config;
        embeddings = new Embeddings(config, device);
        encoder = new Encoder(config, device);
        pooler = config.Pooler ? new Pooler(config, device) : null;
        RegisterComponents();
        BertInitialization.Apply(this);
    }

    /// <param name="inputIds">[N, L] token ids.</param>
    /// <param name="tokenTypeIds">[N, L] segment ids: 0 for the first sentence, 1 for the second.</param>
    /// <param name="attentionMask">[N, L]: 1 for a token, 0 for padding, which no position attends to.</param>
    public override Tensor forward(Tensor inputIds, Tensor tokenTypeIds, Tensor attentionMask)
    {
        // [N, 1, 1, L]: one row of keys, broadcast over heads and queries; true = may attend (SDPA's convention).
        var keep = attentionMask.to(ScalarType.Bool).unsqueeze(1).unsqueeze(2);
        return encoder.call(embeddings.call(inputIds, tokenTypeIds), keep);
    }

    /// <summary>What a sentence classifier reads: the first token ([CLS]), through the pooler when there is one.</summary>
    public Tensor FirstToken(Tensor hidden)
    {
        var first = hidden.select(1, 0);
        return pooler is null ? first : pooler.call(first);
    }

    /// <summary>The word embedding matrix [V, H]; the MLM decoder reuses it (weight tying, as in BERT).</summary>
    public Parameter WordEmbeddings => embeddings.WordEmbeddings;
}

/// <summary>HF BertEmbeddings: word + learned position + token type embeddings, then LayerNorm and dropout.</summary>
sealed class Embeddings : Module<Tensor, Tensor, Tensor>
{
    readonly Embedding word_embeddings, position_embeddings, token_type_embeddings;
    [ComponentName(Name = "LayerNorm")] readonly LayerNorm layerNorm;
    readonly Dropout dropout;

    public Embeddings(EncoderConfig c, Device? device) : base(nameof(Embeddings))
    {
        word_embeddings = Embedding(c.V, c.H, device: device);
        position_embeddings = Embedding(c.S, c.H, device: device);
        token_type_embeddings = Embedding(c.T, c.H, device: device);
        layerNorm = LayerNorm(c.H, EncoderConfig.LayerNormEpsilon, device: device);
        dropout = Dropout(c.Dropout);
        RegisterComponents();
    }

    public Parameter WordEmbeddings => word_embeddings.weight!;

    public override Tensor forward(Tensor inputIds, Tensor tokenTypeIds)
    {
        var positions = arange(inputIds.shape[1], dtype: ScalarType.Int64, device: inputIds.device);
        var x = word_embeddings.call(inputIds) + position_embeddings.call(positions) + token_type_embeddings.call(tokenTypeIds);
        return dropout.call(layerNorm.call(x));
    }
}

/// <summary>HF BertEncoder: the D identical blocks.</summary>
sealed class Encoder : Module<Tensor, Tensor, Tensor>
{
    readonly ModuleList<EncoderBlock> layer;

    public Encoder(EncoderConfig c, Device? device) : base(nameof(Encoder))
    {
        layer = ModuleList(Enumerable.Range(0, c.D).Select(_ => new EncoderBlock(c, device)).ToArray());
        RegisterComponents();
    }

    public override Tensor forward(Tensor x, Tensor keep)
    {
        foreach (var block in layer) x = block.call(x, keep);
        return x;
    }
}

/// <summary>HF BertLayer: self-attention, then the feed-forward network, each closed by add and LayerNorm.</summary>
sealed class EncoderBlock : Module<Tensor, Tensor, Tensor>
{
    readonly Attention attention;
    readonly Intermediate intermediate;
    readonly ResidualOutput output;

    public EncoderBlock(EncoderConfig c, Device? device) : base(nameof(EncoderBlock))
    {
        attention = new Attention(c, device);
        intermediate = new Intermediate(c, device);
        output = new ResidualOutput(c.I, c, device);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x, Tensor keep)
    {
        var a = attention.call(x, keep);
        return output.call(intermediate.call(a), a);
    }
}

/// <summary>HF BertAttention: multi-head self-attention and its output projection.</summary>
sealed class Attention : Module<Tensor, Tensor, Tensor>
{
    readonly SelfAttention self;
    readonly ResidualOutput output;

    public Attention(EncoderConfig c, Device? device) : base(nameof(Attention))
    {
        self = new SelfAttention(c, device);
        output = new ResidualOutput(c.H, c, device);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x, Tensor keep) => output.call(self.call(x, keep), x);
}

/// <summary>HF BertSelfAttention: A heads of size H/A, softmax(QKᵀ/√(H/A))V (Vaswani et al. 2017, eq. 1).</summary>
sealed class SelfAttention : Module<Tensor, Tensor, Tensor>
{
    readonly Linear query, key, value;
    readonly long heads;
    readonly double attentionDropout;

    public SelfAttention(EncoderConfig c, Device? device) : base(nameof(SelfAttention))
    {
        query = Linear(c.H, c.H, device: device);
        key = Linear(c.H, c.H, device: device);
        value = Linear(c.H, c.H, device: device);
        heads = c.A;
        attentionDropout = c.Dropout;
        RegisterComponents();
    }

    public override Tensor forward(Tensor x, Tensor keep)
    {
        long n = x.shape[0], l = x.shape[1], h = x.shape[2];
        Tensor SplitHeads(Tensor t) => t.view(n, l, heads, h / heads).transpose(1, 2); // [N, A, L, H/A]
        var q = SplitHeads(query.call(x));
        var k = SplitHeads(key.call(x));
        var v = SplitHeads(value.call(x));
        var y = F.scaled_dot_product_attention(q, k, v, keep, p: training ? attentionDropout : 0.0);
        return y.transpose(1, 2).reshape(n, l, h);
    }
}

/// <summary>HF BertIntermediate: the first feed-forward layer, H → I, with GELU (erf form, as BERT).</summary>
sealed class Intermediate : Module<Tensor, Tensor>
{
    readonly Linear dense;

    public Intermediate(EncoderConfig c, Device? device) : base(nameof(Intermediate))
    {
        dense = Linear(c.H, c.I, device: device);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => F.gelu(dense.call(x));
}

/// <summary>HF BertSelfOutput and BertOutput (the same shape): project to H, dropout, add the residual, LayerNorm.</summary>
sealed class ResidualOutput : Module<Tensor, Tensor, Tensor>
{
    readonly Linear dense;
    [ComponentName(Name = "LayerNorm")] readonly LayerNorm layerNorm;
    readonly Dropout dropout;

    public ResidualOutput(int inputSize, EncoderConfig c, Device? device) : base(nameof(ResidualOutput))
    {
        dense = Linear(inputSize, c.H, device: device);
        layerNorm = LayerNorm(c.H, EncoderConfig.LayerNormEpsilon, device: device);
        dropout = Dropout(c.Dropout);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x, Tensor residual) => layerNorm.call(residual + dropout.call(dense.call(x)));
}

/// <summary>HF BertPooler: tanh(dense(first token)).</summary>
sealed class Pooler : Module<Tensor, Tensor>
{
    readonly Linear dense;

    public Pooler(EncoderConfig c, Device? device) : base(nameof(Pooler))
    {
        dense = Linear(c.H, c.H, device: device);
        RegisterComponents();
    }

    public override Tensor forward(Tensor first) => tanh(dense.call(first));
}

/// <summary>
/// BERT's initialisation (HF BertPreTrainedModel._init_weights): weights N(0, 0.02²), biases 0, LayerNorm 1 and 0.
/// TorchSharp's defaults (Kaiming uniform, N(0, 1) embeddings) give a first MLM loss near 65 instead of ln V.
/// </summary>
static class BertInitialization
{
    public static void Apply(Module module) => module.apply(m =>
    {
        switch (m)
        {
            case Linear linear:
                init.normal_(linear.weight!, 0, EncoderConfig.InitializerRange);
                if (linear.bias is not null) init.zeros_(linear.bias);
                break;
            case Embedding embedding:
                init.normal_(embedding.weight!, 0, EncoderConfig.InitializerRange);
                break;
            case LayerNorm norm:
                init.ones_(norm.weight!);
                init.zeros_(norm.bias!);
                break;
        }
    });
}
