using Ose.Models;
using System.Runtime.InteropServices;
using Google.Protobuf;
using Onnx;
using Ose.Models.Sources;
using static TorchSharp.torch;

namespace Ose.Testing;

/// <summary>
/// Writes a BERT encoder as torch.onnx.export (PyTorch 1.10, opset 13) writes Hugging Face's BertModel, the layout of
/// the MiniLM file: embeddings, biases and LayerNorms under their HF names, Linear weights as anonymous numbered
/// initializers of shape [in, out] used by MatMul then Add(bias, ·), LayerNorm decomposed, erf GELU, the additive
/// −10000 mask, heads split by Reshape(Concat(N, L, A, H/A)), the pooler as Gemm(transB = 1) + Tanh. Initializers are
/// written in a shuffled order, so an importer cannot lean on their position.
/// </summary>
sealed class PyTorchStyleOnnx
{
    private readonly GraphProto graph = new() { Name = "torch-jit-export" };
    private int next = 100;
    private readonly List<TensorProto> initializers = [];

    private string Fresh() => (next++).ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static ModelProto Build(SourceWeights weights, int seed = 0, bool prefix = false)
    {
        var w = new PyTorchStyleOnnx();
        return w.Write(weights, seed, prefix ? "bert." : "");
    }

    public static void Save(ModelProto model, string path) => File.WriteAllBytes(path, model.ToByteArray());

    private ModelProto Write(SourceWeights weights, int seed, string prefix)
    {
        var c = weights.Config;
        foreach (var (name, type) in new[] { ("input_ids", 7), ("attention_mask", 7), ("token_type_ids", 7) })
            graph.Input.Add(ValueInfo(name, type, "batch", "sequence"));

        string Named(string name) { AddFloat(prefix + name, weights[name]); return prefix + name; }
        string Anonymous(string name) { string id = Fresh(); AddFloat(id, weights[name].t()); return id; }

        // Mask: (1 − mask[:, None, None, :]) · −10000.
        string mask = Node("Mul", Node("Sub", Scalar(1f), Node("Cast", Node("Unsqueeze", "attention_mask", Int64s(1, 2)), ("to", 1))), Scalar(-10000f));

        // Embeddings: positions are embeddings.position_ids[:, :L].
        AddInt64s("embeddings.position_ids", [1, c.S], Enumerable.Range(0, c.S).Select(i => (long)i).ToArray());
        string length = Node("Unsqueeze", Node("Gather", Node("Shape", "input_ids"), Int64Scalar(1), ("axis", 0)), Int64s(0));
        string positions = Node("Slice", "embeddings.position_ids", Int64s(0), length, Int64s(1));
        string x = Node("Add", Node("Add", Node("Gather", Named("embeddings.word_embeddings.weight"), "input_ids"),
            Node("Gather", Named("embeddings.token_type_embeddings.weight"), "token_type_ids")),
            Node("Gather", Named("embeddings.position_embeddings.weight"), positions));
        x = LayerNorm(x, Named("embeddings.LayerNorm.weight"), Named("embeddings.LayerNorm.bias"));

        int d = c.H / c.A;
        for (int l = 0; l < c.D; l++)
        {
            string p = $"encoder.layer.{l}.";
            string Linear(string input, string layer) => Node("Add", Named(p + layer + ".bias"), Node("MatMul", input, Anonymous(p + layer + ".weight")));
            string Heads(string t) => Node("Reshape", t, Node("Concat", Dim(t, 0), Dim(t, 1), Int64s(c.A), Int64s(d), ("axis", 0)));
            string q = Node("Transpose", Heads(Linear(x, "attention.self.query")), ("perm", new long[] { 0, 2, 1, 3 }));
            string k = Node("Transpose", Heads(Linear(x, "attention.self.key")), ("perm", new long[] { 0, 2, 3, 1 }));
            string v = Node("Transpose", Heads(Linear(x, "attention.self.value")), ("perm", new long[] { 0, 2, 1, 3 }));
            string scores = Node("Add", Node("Div", Node("MatMul", q, k), Scalar(MathF.Sqrt(d))), mask);
            string context = Node("Transpose", Node("MatMul", Node("Softmax", scores, ("axis", -1)), v), ("perm", new long[] { 0, 2, 1, 3 }));
            context = Node("Reshape", context, Node("Concat", Dim(context, 0), Dim(context, 1), Int64s(c.H), ("axis", 0)));
            string attention = LayerNorm(Node("Add", Linear(context, "attention.output.dense"), x),
                Named(p + "attention.output.LayerNorm.weight"), Named(p + "attention.output.LayerNorm.bias"));
            string hidden = Linear(attention, "intermediate.dense");
            string gelu = Node("Mul", Node("Mul", hidden, Node("Add", Node("Erf", Node("Div", hidden, Scalar(MathF.Sqrt(2)))), Scalar(1f))), Scalar(0.5f));
            x = LayerNorm(Node("Add", Linear(gelu, "output.dense"), attention),
                Named(p + "output.LayerNorm.weight"), Named(p + "output.LayerNorm.bias"));
        }
        Rename(x, "last_hidden_state");
        graph.Output.Add(ValueInfo("last_hidden_state", 1, "batch", "sequence", "hidden"));
        if (c.Pooler)
        {
            string first = Node("Gather", "last_hidden_state", Int64Scalar(0), ("axis", 1));
            string pooled = Node("Tanh", Node("Gemm", first, Named("pooler.dense.weight"), Named("pooler.dense.bias"), ("transB", 1)));
            graph.Output.Add(ValueInfo(pooled, 1, "batch", "hidden"));
        }

        var order = initializers.ToArray();
        new Random(seed).Shuffle(order);
        graph.Initializer.AddRange(order);
        return new ModelProto
        {
            IrVersion = 7, ProducerName = "pytorch", ProducerVersion = "1.10", Graph = graph,
            OpsetImport = { new OperatorSetIdProto { Domain = "", Version = 13 } },
        };
    }

    private string LayerNorm(string x, string gamma, string beta)
    {
        string centred = Node("Sub", x, Node("ReduceMean", x, ("axes", new long[] { -1 })));
        string variance = Node("ReduceMean", Node("Pow", centred, Scalar(2f)), ("axes", new long[] { -1 }));
        return Node("Add", Node("Mul", Node("Div", centred, Node("Sqrt", Node("Add", variance, Scalar(1e-12f)))), gamma), beta);
    }

    private string Dim(string t, long axis) => Node("Unsqueeze", Node("Gather", Node("Shape", t), Int64Scalar(axis), ("axis", 0)), Int64s(0));

    /// <summary>Adds a node; string arguments are inputs, (name, value) pairs attributes; returns its output.</summary>
    public string Node(string op, params object[] arguments)
    {
        string output = Fresh();
        var node = new NodeProto { OpType = op, Name = $"{op}_{graph.Node.Count}", Output = { output } };
        foreach (var argument in arguments)
        {
            switch (argument)
            {
                case string input: node.Input.Add(input); break;
                case (string name, int i): node.Attribute.Add(new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = i }); break;
                case (string name, long[] ints): node.Attribute.Add(new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints, Ints = { ints } }); break;
                default: throw new ArgumentException($"unexpected argument {argument}");
            }
        }
        graph.Node.Add(node);
        return output;
    }

    private void Rename(string output, string name)
    {
        foreach (var node in graph.Node)
        {
            for (int i = 0; i < node.Output.Count; i++) if (node.Output[i] == output) node.Output[i] = name;
            for (int i = 0; i < node.Input.Count; i++) if (node.Input[i] == output) node.Input[i] = name;
        }
    }

    private string Scalar(float value) => Constant(new TensorProto { DataType = 1, RawData = ByteString.CopyFrom(BitConverter.GetBytes(value)) });

    private string Int64Scalar(long value) => Constant(new TensorProto { DataType = 7, RawData = ByteString.CopyFrom(BitConverter.GetBytes(value)) });

    /// <summary>A 1-D int64 initializer, as the exporter stores shape pieces and axes.</summary>
    private string Int64s(params long[] values)
    {
        string name = Fresh();
        AddInt64s(name, [values.Length], values);
        return name;
    }

    private string Constant(TensorProto value)
    {
        string output = Fresh();
        graph.Node.Add(new NodeProto
        {
            OpType = "Constant", Name = $"Constant_{graph.Node.Count}", Output = { output },
            Attribute = { new AttributeProto { Name = "value", Type = AttributeProto.Types.AttributeType.Tensor, T = value } },
        });
        return output;
    }

    private void AddFloat(string name, Tensor t)
    {
        float[] values = t.contiguous().data<float>().ToArray();
        initializers.Add(new TensorProto { Name = name, DataType = 1, Dims = { t.shape }, RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values.AsSpan())) });
    }

    private void AddInt64s(string name, long[] shape, long[] values) =>
        initializers.Add(new TensorProto { Name = name, DataType = 7, Dims = { shape }, RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values.AsSpan())) });

    private static ValueInfoProto ValueInfo(string name, int type, params string[] dims) => new()
    {
        Name = name,
        Type = new TypeProto
        {
            TensorType = new TypeProto.Types.Tensor
            {
                ElemType = type,
                Shape = new TensorShapeProto { Dim = { dims.Select(d => new TensorShapeProto.Types.Dimension { DimParam = d }) } },
            },
        },
    };
}
