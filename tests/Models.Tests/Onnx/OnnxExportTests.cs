using Ose.Models.Onnx;
using Xunit;
using static TorchSharp.torch;

namespace Ose.Models.Tests.Onnx;

public sealed class OnnxExportTests : IDisposable
{
    private const float Tolerance = 1e-4f;
    private readonly string directory = Directory.CreateTempSubdirectory("ose-onnx-").FullName;
    private string File(string name) => Path.Combine(directory, name);

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private static readonly EncoderConfig Config = new(D: 2, A: 4, H: 32, I: 48, V: 60, S: 24, T: 2, Pooler: true);

    [Fact]
    public void Onnx_runtime_gives_our_hidden_states_and_pooled_output_on_a_padded_batch_of_three()
    {
        manual_seed(1);
        using var model = new BertModel(Config);
        OnnxRuntimeOracle.Perturb(model, seed: 2);
        OnnxExport.Write(model, File("model.onnx"));
        var batch = PaddedBatch.Random([11, 4, 1], 11, Config.V, Config.T, seed: 3);

        var ours = OnnxRuntimeOracle.Ours(model.call, model, batch);
        var theirs = OnnxRuntimeOracle.Run(File("model.onnx"), batch, "last_hidden_state");
        var oursPooled = OnnxRuntimeOracle.Ours((i, t, m) => model.FirstToken(model.call(i, t, m)), model, batch);
        var theirsPooled = OnnxRuntimeOracle.Run(File("model.onnx"), batch, "pooler_output");

        Assert.Equal(ours.Length, theirs.Length);
        Assert.InRange(batch.MaxDifferenceAtTokens(ours, theirs), 0, Tolerance);
        Assert.InRange(ours.Zip(theirs).Select(p => Math.Abs(p.First - p.Second)).Max(), 0, Tolerance * 10); // padding too
        Assert.Equal(oursPooled.Length, theirsPooled.Length);
        Assert.All(oursPooled.Zip(theirsPooled), p => Assert.InRange(Math.Abs(p.First - p.Second), 0, Tolerance));
        // The comparison could fail: the outputs are not trivially equal (constant or zero).
        Assert.True(ours.Max() - ours.Min() > 1);
    }

    [Fact]
    public void One_file_serves_any_batch_size_and_sequence_length_and_declares_opset_17_with_hugging_face_names()
    {
        manual_seed(4);
        using var model = new BertModel(Config with { Pooler = false });
        OnnxRuntimeOracle.Perturb(model, seed: 5);
        OnnxExport.Write(model, File("model.onnx"));

        foreach (var batch in new[] { PaddedBatch.Random([3], 3, Config.V, Config.T, 6), PaddedBatch.Random([17, 24, 9, 2, 24], 24, Config.V, Config.T, 7) })
            Assert.InRange(batch.MaxDifferenceAtTokens(OnnxRuntimeOracle.Ours(model.call, model, batch),
                OnnxRuntimeOracle.Run(File("model.onnx"), batch, "last_hidden_state")), 0, Tolerance);

        var proto = global::Onnx.ModelProto.Parser.ParseFrom(System.IO.File.ReadAllBytes(File("model.onnx")));
        Assert.Equal(17, proto.OpsetImport.Single(o => o.Domain == "").Version);
        Assert.Equal(["input_ids", "attention_mask", "token_type_ids"], proto.Graph.Input.Select(i => i.Name));
        Assert.All(proto.Graph.Input, i => Assert.Equal(["batch", "sequence"], i.Type.TensorType.Shape.Dim.Select(d => d.DimParam)));
        var output = Assert.Single(proto.Graph.Output);
        Assert.Equal("last_hidden_state", output.Name);
        Assert.Equal(["batch", "sequence", ""], output.Type.TensorType.Shape.Dim.Select(d => d.DimParam));
        Assert.Equal(Config.H, output.Type.TensorType.Shape.Dim[2].DimValue);
    }

    [Fact]
    public void A_classifier_exports_its_logits_and_a_tagger_its_logits_per_token()
    {
        var batch = PaddedBatch.Random([9, 9, 3, 6], 9, Config.V, Config.T, seed: 8);
        manual_seed(9);
        using var classifier = new BertForSequenceClassification(Config, classes: 3);
        OnnxRuntimeOracle.Perturb(classifier, seed: 10);
        OnnxExport.Write(classifier, File("classifier.onnx"));
        var ours = OnnxRuntimeOracle.Ours(classifier.call, classifier, batch);
        var theirs = OnnxRuntimeOracle.Run(File("classifier.onnx"), batch, "logits");
        Assert.Equal(4 * 3, theirs.Length);
        Assert.All(ours.Zip(theirs), p => Assert.InRange(Math.Abs(p.First - p.Second), 0, Tolerance));

        using var tagger = new BertForTokenClassification(Config with { Pooler = false }, tags: 5);
        OnnxRuntimeOracle.Perturb(tagger, seed: 11);
        OnnxExport.Write(tagger, File("tagger.onnx"));
        var oursTags = OnnxRuntimeOracle.Ours(tagger.call, tagger, batch);
        var theirsTags = OnnxRuntimeOracle.Run(File("tagger.onnx"), batch, "logits");
        Assert.Equal(4 * 9 * 5, theirsTags.Length);
        Assert.InRange(batch.MaxDifferenceAtTokens(oursTags, theirsTags), 0, Tolerance);
    }
}
