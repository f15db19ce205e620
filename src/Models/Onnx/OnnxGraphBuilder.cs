using Google.Protobuf;
using Onnx;
using static TorchSharp.torch;
using DataType = Onnx.TensorProto.Types.DataType;

namespace Ose.Models.Onnx;

/// <summary>
/// Writes an ONNX graph (the protobuf of onnx/onnx.proto, through OnnxSharp's generated classes) one node at a time:
/// initializers from TorchSharp tensors, constants, operators of the default domain. Every value gets a fresh name.
/// </summary>
sealed class OnnxGraphBuilder
{
    private readonly GraphProto graph;
    private int next;

    public OnnxGraphBuilder(string name) => graph = new GraphProto { Name = name };

    /// <summary>A float32 weight; <paramref name="transpose"/> stores a Linear's [out, in] weight as MatMul's [in, out].</summary>
    public string Weight(string name, Tensor weight, bool transpose = false)
    {
        using var scope = NewDisposeScope();
        var values = (transpose ? weight.t() : weight).detach().cpu().to_type(ScalarType.Float32).contiguous();
        var bytes = new byte[values.numel() * sizeof(float)];
        values.bytes.CopyTo(bytes);
        var tensor = new TensorProto { Name = name, DataType = (int)DataType.Float, RawData = UnsafeByteOperations.UnsafeWrap(bytes) };
        tensor.Dims.AddRange(values.shape);
        graph.Initializer.Add(tensor);
        return name;
    }

    /// <summary>A float32 scalar constant.</summary>
    public string Scalar(float value)
    {
        var tensor = new TensorProto { Name = Fresh("scalar"), DataType = (int)DataType.Float };
        tensor.FloatData.Add(value);
        graph.Initializer.Add(tensor);
        return tensor.Name;
    }

    /// <summary>An int64 constant of the given shape (a scalar when <paramref name="shape"/> is empty).</summary>
    public string Int64s(long[] values, params long[] shape)
    {
        var tensor = new TensorProto { Name = Fresh("int64s"), DataType = (int)DataType.Int64 };
        tensor.Dims.AddRange(shape);
        tensor.Int64Data.AddRange(values);
        graph.Initializer.Add(tensor);
        return tensor.Name;
    }

    /// <summary>Adds one operator of the default domain; returns the name of its (only) output.</summary>
    public string Node(string op, string[] inputs, params AttributeProto[] attributes)
    {
        string output = Fresh(op);
        var node = new NodeProto { OpType = op, Name = output };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        node.Attribute.AddRange(attributes);
        graph.Node.Add(node);
        return output;
    }

    /// <summary>Gives a value its public name (a graph output) by an Identity node.</summary>
    public void Output(string value, string name, DataType type, params string[] dimensions)
    {
        var node = new NodeProto { OpType = "Identity", Name = name };
        node.Input.Add(value);
        node.Output.Add(name);
        graph.Node.Add(node);
        graph.Output.Add(ValueInfo(name, type, dimensions));
    }

    /// <summary>A graph input; dimensions that parse as integers are fixed, the others named (dynamic).</summary>
    public string Input(string name, DataType type, params string[] dimensions)
    {
        graph.Input.Add(ValueInfo(name, type, dimensions));
        return name;
    }

    public static AttributeProto Attribute(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    public static AttributeProto Attribute(string name, float value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };

    public static AttributeProto Attribute(string name, params long[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.AddRange(values);
        return attribute;
    }

    public ModelProto ToModel(long opset, string producerVersion)
    {
        var model = new ModelProto
        {
            // IR version 8 (ONNX 1.10) is the lowest that ONNX 1.12's opset 17 may be stored in.
            IrVersion = (long)global::Onnx.Version.IrVersion2021730,
            ProducerName = "OseToolkit",
            ProducerVersion = producerVersion,
            Graph = graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = opset });
        return model;
    }

    private string Fresh(string stem) => $"{stem}_{next++}";

    private static ValueInfoProto ValueInfo(string name, DataType type, string[] dimensions)
    {
        var shape = new TensorShapeProto();
        foreach (string d in dimensions)
            shape.Dim.Add(long.TryParse(d, out long size)
                ? new TensorShapeProto.Types.Dimension { DimValue = size }
                : new TensorShapeProto.Types.Dimension { DimParam = d });
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = shape } },
        };
    }
}
