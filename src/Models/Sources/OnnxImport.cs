using System.Runtime.InteropServices;
using Google.Protobuf;
using Onnx;
using static TorchSharp.torch;

namespace Ose.Models.Sources;

/// <summary>
/// Reads a BERT-family encoder exported to ONNX (torch.onnx.export of a Hugging Face BertModel or BertForMaskedLM) into
/// <see cref="SourceWeights"/>. Embeddings, biases and LayerNorms keep their Hugging Face names in such files; the Linear
/// weights become anonymous initializers (<c>onnx::MatMul_815</c>, or a bare number) of shape [in, out]. Each is named
/// by following the graph: the MatMul that reads it feeds an Add whose other input is a named bias, and the weight takes
/// that bias's name, transposed to HF's [out, in]. Never by position in the file. The heads A are read from the reshape
/// that splits the query into [N, L, A, H/A]. Anything else (another family, fused operators, RoBERTa's position ids) is
/// a one-line error naming what was found.
/// </summary>
public static class OnnxImport
{
    private const string HfPrefix = "bert.";

    public static SourceWeights Read(string path)
    {
        var graph = Parse(path).Graph;
        string origin = path;
        RejectUnmappableOperators(graph, origin);

        var initializers = graph.Initializer.ToDictionary(t => t.Name);
        var constants = new GraphConstants(graph);
        var named = new Dictionary<string, Tensor>();
        try
        {
            foreach (var t in graph.Initializer)
            {
                string name = HfName(t.Name);
                if (IsHfName(name) && t.DataType == (int)TensorProto.Types.DataType.Float)
                    named[name] = Decode(t, path);
            }
            if (!named.ContainsKey("embeddings.word_embeddings.weight"))
                throw new UserInputException($"{origin} is not a BERT-family encoder we can map: no embeddings.word_embeddings.weight among its " +
                    $"{graph.Initializer.Count} initializers (first ones: {string.Join(", ", graph.Initializer.Take(4).Select(t => t.Name))})");

            NameLinearWeights(graph, initializers, named, path);
            var config = InferConfig(graph, named, constants, origin);
            return new SourceWeights(config, named, origin);
        }
        catch
        {
            foreach (var t in named.Values) t.Dispose();
            throw;
        }
    }

    private static ModelProto Parse(string path)
    {
        if (!File.Exists(path)) throw new UserInputException($"ONNX file not found: {path}");
        try
        {
            using var stream = File.OpenRead(path);
            var model = ModelProto.Parser.ParseFrom(stream);
            if (model.Graph is null || model.Graph.Node.Count == 0)
                throw new UserInputException($"{path} is not an ONNX model: it has no graph");
            return model;
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new UserInputException($"{path} is not an ONNX model: {e.Message}");
        }
    }

    /// <summary>
    /// Optimised exports fuse BERT into contrib operators (Attention, SkipLayerNormalization, ...) whose weights are packed
    /// differently; RoBERTa computes position ids from the input (CumSum), which our encoder does not.
    /// </summary>
    private static void RejectUnmappableOperators(GraphProto graph, string origin)
    {
        var fused = graph.Node.Where(n => n.Domain is not ("" or "ai.onnx")).Select(n => $"{n.Domain}.{n.OpType}").Distinct().ToArray();
        if (fused.Length > 0)
            throw new UserInputException($"{origin} uses fused operators ({string.Join(", ", fused.Take(4))}): export the model without ONNX Runtime's transformer optimisations");
        if (graph.Node.Any(n => n.OpType == "CumSum"))
            throw new UserInputException($"{origin} computes position ids from the input (CumSum, as RoBERTa does): only BERT's absolute positions 0..L-1 are mapped");
        if (!graph.Input.Any(i => i.Name == "input_ids"))
            throw new UserInputException($"{origin} has no input 'input_ids' (inputs: {string.Join(", ", graph.Input.Select(i => i.Name))}): not an exported BERT encoder");
    }

    /// <summary>HF BertForMaskedLM exports put the encoder under "bert."; BertModel exports have no prefix.</summary>
    private static string HfName(string name) => name.StartsWith(HfPrefix, StringComparison.Ordinal) ? name[HfPrefix.Length..] : name;

    private static bool IsHfName(string name) =>
        name.StartsWith("embeddings.", StringComparison.Ordinal) && name != "embeddings.position_ids"
        || name.StartsWith("encoder.layer.", StringComparison.Ordinal)
        || name.StartsWith("pooler.", StringComparison.Ordinal)
        || name.StartsWith("cls.", StringComparison.Ordinal);

    /// <summary>Names every MatMul (and Gemm) weight after the bias added to its output; a weight left without a name is an error.</summary>
    private static void NameLinearWeights(GraphProto graph, Dictionary<string, TensorProto> initializers, Dictionary<string, Tensor> named, string path)
    {
        var consumers = graph.Node.SelectMany(n => n.Input.Select(i => (Input: i, Node: n)))
            .ToLookup(p => p.Input, p => p.Node);
        foreach (var node in graph.Node.Where(n => n.OpType is "MatMul" or "Gemm"))
        {
            if (node.Input.Count < 2 || !initializers.TryGetValue(node.Input[1], out var weight) || weight.Dims.Count != 2) continue;
            // MatMul computes x·W with W [in, out]; Gemm with transB = 1 already holds HF's [out, in].
            bool hfLayout = node.OpType == "Gemm" && TransposesB(node);
            if (IsHfName(HfName(weight.Name)))
            {
                if (!hfLayout) named[HfName(weight.Name)] = TransposeOwned(named[HfName(weight.Name)]);
                continue;
            }
            string? bias = node.OpType == "Gemm" && node.Input.Count > 2 ? node.Input[2] : BiasAddedTo(node.Output[0], consumers, initializers);
            if (bias is null || !IsHfName(HfName(bias)) || !HfName(bias).EndsWith(".bias", StringComparison.Ordinal))
                throw new UserInputException($"{path}: the weight '{weight.Name}' [{string.Join(',', weight.Dims)}] of {node.OpType} '{node.Name}' is not followed by the Add of a named bias: not a graph we can map");
            string name = HfName(bias)[..^"bias".Length] + "weight";
            if (named.ContainsKey(name))
                throw new UserInputException($"{path}: two weights map to '{name}' (the second is '{weight.Name}'): not a graph we can map");
            var tensor = Decode(weight, path);
            named[name] = hfLayout ? tensor : TransposeOwned(tensor);
        }
    }

    private static bool TransposesB(NodeProto gemm) => gemm.Attribute.FirstOrDefault(a => a.Name == "transB")?.I == 1;

    private static Tensor TransposeOwned(Tensor t)
    {
        var transposed = t.t().contiguous();
        t.Dispose();
        return transposed;
    }

    /// <summary>The 1-D initializer added to <paramref name="output"/> by the Add that consumes it, if any.</summary>
    private static string? BiasAddedTo(string output, ILookup<string, NodeProto> consumers, Dictionary<string, TensorProto> initializers) =>
        consumers[output].Where(n => n.OpType == "Add")
            .Select(add => add.Input.FirstOrDefault(i => i != output && initializers.TryGetValue(i, out var b) && b.Dims.Count == 1))
            .FirstOrDefault(b => b is not null);

    private static EncoderConfig InferConfig(GraphProto graph, Dictionary<string, Tensor> named, GraphConstants constants, string origin)
    {
        int Rows(string name) => named.TryGetValue(name, out var t) ? (int)t.shape[0]
            : throw new UserInputException($"{origin}: no tensor '{name}': not a BERT encoder we can map");
        int depth = 0;
        while (named.ContainsKey($"encoder.layer.{depth}.attention.self.query.weight")) depth++;
        if (depth == 0) throw new UserInputException($"{origin}: no encoder.layer.0.attention.self.query weight: not a BERT encoder we can map");
        var word = named["embeddings.word_embeddings.weight"];
        int hidden = (int)word.shape[1];
        int heads = HeadsOf(graph, constants, hidden, origin);
        return new EncoderConfig(depth, heads, hidden, Rows("encoder.layer.0.intermediate.dense.bias"), (int)word.shape[0],
            Rows("embeddings.position_embeddings.weight"), Rows("embeddings.token_type_embeddings.weight"),
            Pooler: named.ContainsKey("pooler.dense.weight"));
    }

    /// <summary>
    /// A: the query of layer 0 is reshaped to [N, L, A, H/A] before the heads are transposed apart. The shape is a
    /// constant or a Concat of the dynamic N, L and two constants.
    /// </summary>
    private static int HeadsOf(GraphProto graph, GraphConstants constants, int hidden, string origin)
    {
        var consumers = graph.Node.SelectMany(n => n.Input.Select(i => (Input: i, Node: n))).ToLookup(p => p.Input, p => p.Node);
        var queryAdd = graph.Node.FirstOrDefault(n => n.OpType == "Add"
            && n.Input.Any(i => HfName(i) == "encoder.layer.0.attention.self.query.bias"));
        var reshape = queryAdd is null ? null : consumers[queryAdd.Output[0]].FirstOrDefault(n => n.OpType == "Reshape");
        long?[]? shape = reshape is null ? null : constants.Values(reshape.Input[1]);
        if (shape is { Length: 4 } && shape[2] is { } a && shape[3] is { } d && a * d == hidden && a > 0)
            return (int)a;
        throw new UserInputException($"{origin}: cannot read the number of attention heads from the reshape of layer 0's query " +
            $"(found {(reshape is null ? "no Reshape" : $"shape [{string.Join(',', shape?.Select(v => v?.ToString() ?? "?") ?? [])}]")})");
    }

    /// <summary>A float initializer as a CPU tensor; raw little-endian bytes or the float_data field.</summary>
    private static Tensor Decode(TensorProto t, string path)
    {
        if (t.DataLocation == TensorProto.Types.DataLocation.External)
            throw new UserInputException($"{path}: '{t.Name}' is stored in an external data file; export the model with its weights inside (under 2 GB)");
        long[] shape = t.Dims.ToArray();
        float[] values = t.RawData.Length > 0 ? MemoryMarshal.Cast<byte, float>(t.RawData.Span).ToArray() : t.FloatData.ToArray();
        if (values.LongLength != shape.Aggregate(1L, (n, d) => n * d))
            throw new UserInputException($"{path}: '{t.Name}' holds {values.Length} values, not what [{string.Join(',', shape)}] needs (truncated?)");
        return tensor(values, shape);
    }

    /// <summary>The int64 values a graph tensor holds when they are known without running the graph.</summary>
    private sealed class GraphConstants(GraphProto graph)
    {
        private readonly Dictionary<string, TensorProto> initializers = graph.Initializer.ToDictionary(t => t.Name);
        private readonly Dictionary<string, NodeProto> producers = graph.Node.SelectMany(n => n.Output.Select(o => (o, n)))
            .GroupBy(p => p.o).ToDictionary(g => g.Key, g => g.First().n);

        /// <returns>The values, null where an entry is only known at run time; null when nothing is known.</returns>
        public long?[]? Values(string name)
        {
            if (initializers.TryGetValue(name, out var t)) return Int64s(t);
            if (!producers.TryGetValue(name, out var node)) return null;
            return node.OpType switch
            {
                "Constant" when node.Attribute.FirstOrDefault(a => a.Name == "value")?.T is { } value => Int64s(value),
                "Concat" => node.Input.Select(i => Values(i) ?? [null]).SelectMany(v => v).ToArray(),
                "Unsqueeze" => [null],   // a dynamic dimension (N or L) made a 1-element vector
                _ => null,
            };
        }

        private static long?[]? Int64s(TensorProto t) => t.DataType != (int)TensorProto.Types.DataType.Int64 ? null
            : (t.RawData.Length > 0 ? MemoryMarshal.Cast<byte, long>(t.RawData.Span).ToArray() : t.Int64Data.ToArray())
                .Select(v => (long?)v).ToArray();
    }
}
