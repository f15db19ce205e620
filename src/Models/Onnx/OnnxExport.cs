using Google.Protobuf;
using Onnx;
using TorchSharp;
using static TorchSharp.torch;
using static Ose.Models.Onnx.OnnxGraphBuilder;
using DataType = Onnx.TensorProto.Types.DataType;

namespace Ose.Models.Onnx;

/// <summary>
/// Our encoders as ONNX graphs, built node by node from the weights (no tracing), for ONNX Runtime and every other
/// engine users deploy on. Inputs and outputs carry Hugging Face's names and dynamic [batch, sequence] axes:
/// <c>input_ids</c>, <c>attention_mask</c>, <c>token_type_ids</c> (int64) → <c>last_hidden_state</c> [batch, sequence, H]
/// (and <c>pooler_output</c> [batch, H] when the encoder has a pooler); a classifier → <c>logits</c> [batch, classes];
/// a tagger → <c>logits</c> [batch, sequence, tags]. The operators are those torch.onnx writes for Hugging Face BERT
/// (MatMul + Add, Erf GELU, Softmax over an additive mask), so ONNX Runtime's fusions for BERT apply.
/// </summary>
public static class OnnxExport
{
    /// <summary>Opset 17 (ONNX 1.12) has LayerNormalization as one operator.</summary>
    public const int Opset = 17;

    public const string ModelFile = "model.onnx";

    /// <summary>Writes <paramref name="model"/> (BertModel, BertForMaskedLM without its head, a classifier or a tagger) to <paramref name="path"/>.</summary>
    public static void Write(nn.Module model, string path)
    {
        var proto = Build(model);
        Ose.IO.CrashSafe.WriteFile(path, temporary =>
        {
            using var file = File.Create(temporary);
            proto.WriteTo(file);
        });
    }

    public static ModelProto Build(nn.Module model)
    {
        var weights = model.state_dict();
        var builder = new OnnxGraphBuilder(model.GetName());
        var ids = builder.Input("input_ids", DataType.Int64, "batch", "sequence");
        var mask = builder.Input("attention_mask", DataType.Int64, "batch", "sequence");
        var types = builder.Input("token_type_ids", DataType.Int64, "batch", "sequence");
        switch (model)
        {
            case BertModel bert:
                WriteEncoderOutputs(new EncoderGraph(builder, weights, "", bert.Config), ids, types, mask);
                break;
            case BertForMaskedLM masked:
                WriteEncoderOutputs(new EncoderGraph(builder, weights, "bert.", masked.Bert.Config), ids, types, mask);
                break;
            case BertForSequenceClassification classifier:
            {
                var encoder = new EncoderGraph(builder, weights, "bert.", classifier.Bert.Config);
                var logits = encoder.Linear(encoder.FirstToken(encoder.Hidden(ids, types, mask)), "classifier");
                builder.Output(logits, "logits", DataType.Float, "batch", weights["classifier.weight"].shape[0].ToString());
                break;
            }
            case BertForTokenClassification tagger:
            {
                var encoder = new EncoderGraph(builder, weights, "bert.", tagger.Bert.Config);
                var logits = encoder.Linear(encoder.Hidden(ids, types, mask), "classifier");
                builder.Output(logits, "logits", DataType.Float, "batch", "sequence", weights["classifier.weight"].shape[0].ToString());
                break;
            }
            default:
                throw new ArgumentException($"no ONNX export for {model.GetType().Name}", nameof(model));
        }
        string version = typeof(OnnxExport).Assembly.GetName().Version?.ToString() ?? "";
        return builder.ToModel(Opset, version);
    }

    private static void WriteEncoderOutputs(EncoderGraph encoder, string ids, string types, string mask)
    {
        var hidden = encoder.Hidden(ids, types, mask);
        encoder.Builder.Output(hidden, "last_hidden_state", DataType.Float, "batch", "sequence", encoder.Config.H.ToString());
        if (encoder.Config.Pooler)
            encoder.Builder.Output(encoder.FirstToken(hidden), "pooler_output", DataType.Float, "batch", encoder.Config.H.ToString());
    }

    /// <summary>BertModel's forward pass (src/Models/Bert.cs) as ONNX nodes, box by box, reading the weights by their HF names.</summary>
    private sealed class EncoderGraph(OnnxGraphBuilder builder, IReadOnlyDictionary<string, Tensor> weights, string prefix, EncoderConfig config)
    {
        public OnnxGraphBuilder Builder => builder;
        public EncoderConfig Config => config;

        /// <summary>Embeddings → D × EncoderBlock: [N, L] ids → [N, L, H].</summary>
        public string Hidden(string ids, string types, string attentionMask)
        {
            var x = Embeddings(ids, types);
            var additiveMask = AdditiveMask(attentionMask);
            for (int layer = 0; layer < config.D; layer++) x = Block(x, additiveMask, $"encoder.layer.{layer}.");
            return x;
        }

        /// <summary>The first token ([CLS]), through the pooler (tanh of a dense layer) when there is one: BertModel.FirstToken.</summary>
        public string FirstToken(string hidden)
        {
            var first = builder.Node("Gather", [hidden, builder.Int64s([0])], Attribute("axis", 1L));
            return config.Pooler ? builder.Node("Tanh", [Linear(first, prefix + "pooler.dense")]) : first;
        }

        /// <summary>x Wᵀ + b of the Linear layer <paramref name="name"/> (a full name, such as "classifier").</summary>
        public string Linear(string x, string name) =>
            builder.Node("Add", [
                builder.Node("MatMul", [x, builder.Weight(name + ".weight", weights[name + ".weight"], transpose: true)]),
                builder.Weight(name + ".bias", weights[name + ".bias"])]);

        private string EncoderLinear(string x, string name) => Linear(x, prefix + name);

        private string LayerNorm(string x, string name) =>
            builder.Node("LayerNormalization", [x, Weight(name + ".weight"), Weight(name + ".bias")],
                Attribute("axis", -1L), Attribute("epsilon", (float)EncoderConfig.LayerNormEpsilon));

        private string Weight(string name) => builder.Weight(prefix + name, weights[prefix + name]);

        /// <summary>Word + position (the first L rows of the table) + token type embeddings, then LayerNorm.</summary>
        private string Embeddings(string ids, string types)
        {
            var words = builder.Node("Gather", [Weight("embeddings.word_embeddings.weight"), ids]);
            var length = builder.Node("Shape", [ids], Attribute("start", 1L), Attribute("end", 2L));
            var positions = builder.Node("Slice", [Weight("embeddings.position_embeddings.weight"), builder.Int64s([0], 1), length, builder.Int64s([0], 1)]);
            var tokenTypes = builder.Node("Gather", [Weight("embeddings.token_type_embeddings.weight"), types]);
            var sum = builder.Node("Add", [builder.Node("Add", [words, positions]), tokenTypes]);
            return LayerNorm(sum, "embeddings.LayerNorm");
        }

        /// <summary>
        /// attention_mask [N, L] (1 token, 0 padding) → [N, 1, 1, L] added to the attention scores: 0 where a key may be
        /// attended to, the lowest float where it is padding, as Hugging Face's BERT does.
        /// </summary>
        private string AdditiveMask(string attentionMask)
        {
            var keep = builder.Node("Cast", [attentionMask], Attribute("to", (long)DataType.Float));
            var padding = builder.Node("Sub", [builder.Scalar(1), keep]);
            var additive = builder.Node("Mul", [padding, builder.Scalar(float.MinValue)]);
            return builder.Node("Unsqueeze", [additive, builder.Int64s([1, 2], 2)]);
        }

        /// <summary>EncoderBlock: self-attention, add and LayerNorm; feed-forward (GELU), add and LayerNorm.</summary>
        private string Block(string x, string additiveMask, string layer)
        {
            var attended = LayerNorm(
                builder.Node("Add", [EncoderLinear(SelfAttention(x, additiveMask, layer + "attention.self."), layer + "attention.output.dense"), x]),
                layer + "attention.output.LayerNorm");
            var intermediate = Gelu(EncoderLinear(attended, layer + "intermediate.dense"));
            return LayerNorm(builder.Node("Add", [EncoderLinear(intermediate, layer + "output.dense"), attended]), layer + "output.LayerNorm");
        }

        /// <summary>softmax(QKᵀ/√(H/A) + mask) V over A heads (Vaswani et al. 2017, eq. 1), [N, L, H] → [N, L, H].</summary>
        private string SelfAttention(string x, string additiveMask, string self)
        {
            long headSize = config.H / config.A;
            var headsShape = builder.Int64s([0, 0, config.A, headSize], 4); // 0 keeps N and L from the input
            string Heads(string name, long[] permutation) =>
                builder.Node("Transpose", [builder.Node("Reshape", [EncoderLinear(x, self + name), headsShape])], Attribute("perm", permutation));
            var q = Heads("query", [0, 2, 1, 3]);  // [N, A, L, H/A]
            var kT = Heads("key", [0, 2, 3, 1]);   // [N, A, H/A, L]
            var v = Heads("value", [0, 2, 1, 3]);  // [N, A, L, H/A]
            var scores = builder.Node("Div", [builder.Node("MatMul", [q, kT]), builder.Scalar(MathF.Sqrt(headSize))]);
            var probabilities = builder.Node("Softmax", [builder.Node("Add", [scores, additiveMask])], Attribute("axis", -1L));
            var context = builder.Node("Transpose", [builder.Node("MatMul", [probabilities, v])], Attribute("perm", 0L, 2L, 1L, 3L));
            return builder.Node("Reshape", [context, builder.Int64s([0, 0, config.H], 3)]);
        }

        /// <summary>GELU in BERT's erf form, x · ½(1 + erf(x/√2)), written as torch.onnx writes it so ONNX Runtime fuses it.</summary>
        private string Gelu(string x)
        {
            var erf = builder.Node("Erf", [builder.Node("Div", [x, builder.Scalar(MathF.Sqrt(2))])]);
            return builder.Node("Mul", [builder.Node("Mul", [x, builder.Node("Add", [erf, builder.Scalar(1)])]), builder.Scalar(0.5f)]);
        }
    }
}
