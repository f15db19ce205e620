using Google.Protobuf;
using Onnx;
using Ose.Models.Sources;
using Xunit;
using static TorchSharp.torch;

namespace Ose.Models.Tests.Sources;

public sealed class OnnxImportTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("ose-onnx-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private string Save(ModelProto model, string name = "model.onnx")
    {
        string path = Path.Combine(directory, name);
        PyTorchStyleOnnx.Save(model, path);
        return path;
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(1, true)]
    [InlineData(2, false)]
    public void Every_tensor_comes_back_under_its_hugging_face_name_whatever_the_order_of_the_initializers(int seed, bool prefix)
    {
        using var source = TinySources.Weights(TinySources.Config(), seed);
        string path = Save(PyTorchStyleOnnx.Build(source, seed, prefix));

        using var imported = OnnxImport.Read(path);

        Assert.Equal(source.Config, imported.Config with { Dropout = 0 });
        Assert.Equal(source.Tensors.Keys.Order(), imported.Tensors.Keys.Order());
        Assert.All(source.Tensors, p => Assert.True(p.Value.allclose(imported[p.Key], rtol: 0, atol: 0), p.Key));
    }

    [Fact]
    public void Onnx_runtime_and_our_encoder_agree_on_the_imported_weights_of_a_random_model()
    {
        using var source = TinySources.Weights(TinySources.Config(), seed: 3);
        string path = Save(PyTorchStyleOnnx.Build(source, seed: 3));
        string vocabulary = Path.Combine(directory, "vocab.txt");
        // The comparison's sentences become [UNK] in this vocabulary: real words, but the ids the tiny model knows.
        File.WriteAllLines(vocabulary, ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", .. Enumerable.Range(0, 55).Select(i => $"w{i}")]);

        using var imported = OnnxImport.Read(path);
        var comparison = OnnxRuntimeComparison.Compare(path, imported, vocabulary, threads: 1);

        Assert.True(comparison.Agrees, $"max |Δ| = {comparison.MaxAbsoluteDifference}");
        Assert.True(comparison.Sequences > 1 && comparison.Tokens < comparison.Sequences * comparison.PaddedLength, "the batch must hold padding");
    }

    [Fact]
    public void Weights_that_differ_from_the_file_make_the_comparison_fail()
    {
        // The oracle must be able to say no: one bias of our copy moved by 0.01.
        using var source = TinySources.Weights(TinySources.Config(), seed: 4);
        string path = Save(PyTorchStyleOnnx.Build(source, seed: 4));
        string vocabulary = Path.Combine(directory, "vocab.txt");
        File.WriteAllLines(vocabulary, ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]);
        using var imported = OnnxImport.Read(path);
        using (no_grad()) imported["encoder.layer.1.intermediate.dense.bias"].add_(0.01);

        var comparison = OnnxRuntimeComparison.Compare(path, imported, vocabulary, threads: 1);

        Assert.False(comparison.Agrees);
    }

    [Fact]
    public void Heads_are_read_from_the_reshape_of_the_query_not_guessed()
    {
        var config = TinySources.Config() with { A = 8 };
        using var source = TinySources.Weights(config);
        using var imported = OnnxImport.Read(Save(PyTorchStyleOnnx.Build(source)));
        Assert.Equal(8, imported.Config.A);
    }

    [Fact]
    public void A_source_without_pooler_imports_without_one()
    {
        using var source = TinySources.Weights(TinySources.Config(pooler: false));
        using var imported = OnnxImport.Read(Save(PyTorchStyleOnnx.Build(source)));
        Assert.False(imported.Config.Pooler);
    }

    public static TheoryData<string, string> Unmappable => new()
    {
        { "fused", "fused operators" },
        { "cumsum", "CumSum" },
        { "no-bias-add", "not followed by the Add of a named bias" },
        { "renamed-embeddings", "not a BERT-family encoder" },
        { "no-input-ids", "no input 'input_ids'" },
        { "heads-unknown", "number of attention heads" },
    };

    [Theory]
    [MemberData(nameof(Unmappable))]
    public void A_graph_we_cannot_map_is_a_one_line_error_naming_what_was_found(string change, string expected)
    {
        using var source = TinySources.Weights(TinySources.Config());
        var model = PyTorchStyleOnnx.Build(source);
        var graph = model.Graph;
        switch (change)
        {
            case "fused":
                graph.Node[5].Domain = "com.microsoft";
                graph.Node[5].OpType = "SkipLayerNormalization";
                break;
            case "cumsum":
                graph.Node.Add(new NodeProto { OpType = "CumSum", Input = { "input_ids", "axis" }, Output = { "positions" } });
                break;
            case "no-bias-add":
                var add = graph.Node.First(n => n.OpType == "Add" && n.Input.Contains("encoder.layer.1.intermediate.dense.bias"));
                add.OpType = "Sub";
                break;
            case "renamed-embeddings":
                foreach (var t in graph.Initializer) t.Name = t.Name.Replace("embeddings.", "distilbert.embeddings.");
                break;
            case "no-input-ids":
                graph.Input[0].Name = "ids";
                break;
            case "heads-unknown":
                var reshape = graph.Node.First(n => n.OpType == "Reshape");
                var concat = graph.Node.First(n => n.Output[0] == reshape.Input[1]);
                concat.Input[2] = concat.Input[0];   // A now only known at run time
                break;
        }
        string path = Save(model);

        var error = Assert.Throws<UserInputException>(() => OnnxImport.Read(path));

        Assert.Contains(expected, error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void A_file_that_is_not_onnx_is_a_user_error()
    {
        string path = Path.Combine(directory, "garbage.onnx");
        File.WriteAllBytes(path, [0xff, 0xff, 0xff, 0x07, 0x01]);
        Assert.Throws<UserInputException>(() => OnnxImport.Read(path));
        Assert.Throws<UserInputException>(() => OnnxImport.Read(Path.Combine(directory, "missing.onnx")));
    }

    [Fact]
    public void A_truncated_file_is_a_user_error()
    {
        using var source = TinySources.Weights(TinySources.Config());
        byte[] bytes = PyTorchStyleOnnx.Build(source).ToByteArray();
        string path = Path.Combine(directory, "cut.onnx");
        File.WriteAllBytes(path, bytes[..(bytes.Length * 2 / 3)]);
        Assert.Throws<UserInputException>(() => OnnxImport.Read(path));
    }
}
