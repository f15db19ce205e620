using Google.Protobuf;
using Ose.Models.Checkpoints;
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

    [Fact]
    public void A_fine_tuned_classifier_folder_exports_to_model_onnx_with_its_config_and_vocabulary()
    {
        string vocabulary = File("vocab.txt");
        int size = Tiny.WriteVocabulary(vocabulary, Enumerable.Range(0, Config.V - Tiny.SpecialTokens.Length).Select(i => $"w{i}"));
        manual_seed(12);
        using var classifier = new BertForSequenceClassification(Config with { V = size }, classes: 2);
        OnnxRuntimeOracle.Perturb(classifier, seed: 13);
        ClassifierFolder.Save(classifier, Config with { V = size }, ["negative", "positive"], vocabulary, File("finetuned/model"));

        StudentExport.Export(File("finetuned"), File("no-data-vocabulary.txt"), File("exported"), ExportFormat.Onnx);

        Assert.Equal(["config.json", "model.onnx", "vocab.txt"], Directory.GetFiles(File("exported")).Select(Path.GetFileName).Order());
        Assert.Equal(System.IO.File.ReadAllText(File("finetuned/model/config.json")), System.IO.File.ReadAllText(File("exported/config.json")));
        var batch = PaddedBatch.Random([5, 2], 5, size, Config.T, seed: 14);
        var ours = OnnxRuntimeOracle.Ours(classifier.call, classifier, batch);
        var theirs = OnnxRuntimeOracle.Run(File("exported/model.onnx"), batch, "logits");
        Assert.All(ours.Zip(theirs), p => Assert.InRange(Math.Abs(p.First - p.Second), 0, Tolerance));

        // The export of a model folder (here the one just exported in Hugging Face layout) replaces an earlier ONNX export.
        StudentExport.Export(File("finetuned/model"), vocabulary, File("hf"));
        StudentExport.Export(File("hf"), vocabulary, File("exported"), ExportFormat.Onnx);
        Assert.Equal(theirs, OnnxRuntimeOracle.Run(File("exported/model.onnx"), batch, "logits"));
        Assert.Empty(Directory.GetDirectories(directory, "*.tmp"));
    }

    [Fact]
    public void A_model_folder_without_a_vocabulary_takes_the_data_vocabulary_only_when_its_size_is_the_models()
    {
        manual_seed(15);
        using var model = new BertForMaskedLM(Config);
        StudentFolder.Save(model, Config, File("student"));
        string vocabulary = File("vocab.txt");
        Tiny.WriteVocabulary(vocabulary, ["only", "a", "few"]);

        var error = Assert.Throws<UserInputException>(() => StudentExport.Export(File("student"), vocabulary, File("out"), ExportFormat.Onnx));
        Assert.Contains("not the model's 60", error.Message);
        Assert.False(Directory.Exists(File("out")));

        Tiny.WriteVocabulary(vocabulary, Enumerable.Range(0, Config.V - Tiny.SpecialTokens.Length).Select(i => $"w{i}"));
        StudentExport.Export(File("student"), vocabulary, File("out"), ExportFormat.Onnx);
        var batch = PaddedBatch.Random([4, 7], 7, Config.V, Config.T, seed: 16);
        Assert.InRange(batch.MaxDifferenceAtTokens(OnnxRuntimeOracle.Ours(model.Bert.call, model, batch),
            OnnxRuntimeOracle.Run(File("out/model.onnx"), batch, "last_hidden_state")), 0, Tolerance);
    }

    [Fact]
    public void A_model_folder_with_a_malformed_config_or_foreign_weights_is_a_user_error_and_writes_nothing()
    {
        Directory.CreateDirectory(File("broken"));
        System.IO.File.WriteAllText(File("broken/config.json"), "{ not json");
        System.IO.File.WriteAllText(File("broken/model.safetensors"), "");
        System.IO.File.WriteAllText(File("broken/vocab.txt"), "[PAD]");
        Assert.Throws<UserInputException>(() => StudentExport.Export(File("broken"), File("vocab.txt"), File("out"), ExportFormat.Onnx));

        manual_seed(17);
        using var model = new BertForMaskedLM(Config);
        StudentFolder.Save(model, Config with { H = 64, A = 4 }, File("mismatch"));   // the config says H 64, the weights hold H 32
        System.IO.File.Copy(File("broken/vocab.txt"), File("mismatch/vocab.txt"));
        var error = Assert.Throws<UserInputException>(() => StudentExport.Export(File("mismatch"), File("vocab.txt"), File("out"), ExportFormat.Onnx));
        Assert.Contains("shape", error.Message);
        Assert.False(Directory.Exists(File("out")));
        Assert.Empty(Directory.GetDirectories(directory, "*.tmp"));
    }
}
