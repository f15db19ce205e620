using Ose.Models;
using Ose.Models.Checkpoints;
using static TorchSharp.torch;

namespace Ose.Training.Tests.Checkpoints;

/// <summary>`ose export --format onnx` of model folders: what is written, and ONNX Runtime's outputs against the model's.</summary>
public sealed class OnnxFolderExportTests : IDisposable
{
    private const float Tolerance = 1e-4f;
    private static readonly EncoderConfig Config = new(D: 2, A: 4, H: 32, I: 48, V: 60, S: 24, T: 2, Pooler: true);
    private readonly string directory = Directory.CreateTempSubdirectory("ose-onnx-export-").FullName;
    private string File(string name) => Path.Combine(directory, name);

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void A_fine_tuned_classifier_folder_exports_to_model_onnx_with_its_config_and_vocabulary()
    {
        string vocabulary = File("vocab.txt");
        int size = Tiny.WriteVocabulary(vocabulary, Enumerable.Range(0, Config.V - Tiny.SpecialTokens.Length).Select(i => $"w{i}"));
        manual_seed(12);
        using var classifier = new BertForSequenceClassification(Config with { V = size }, classes: 2);
        OnnxRuntimeOracle.Perturb(classifier, seed: 13);
        ClassifierFolder.Save(classifier, Config with { V = size }, ["negative", "positive"], vocabulary, Tiny.Record, File("finetuned/model"));

        StudentExport.Export(File("finetuned"), File("no-data-vocabulary.txt"), File("exported"), ExportFormat.Onnx);

        Assert.Equal(["config.json", "model.onnx", "training.json", "vocab.txt"], Directory.GetFiles(File("exported")).Select(Path.GetFileName).Order());
        Assert.Equal(System.IO.File.ReadAllText(File("finetuned/model/config.json")), System.IO.File.ReadAllText(File("exported/config.json")));
        var batch = PaddedBatch.Random([5, 2], 5, size, Config.T, seed: 14);
        var ours = OnnxRuntimeOracle.Ours(classifier.call, classifier, batch);
        var theirs = OnnxRuntimeOracle.Run(File("exported/model.onnx"), batch, "logits");
        Assert.All(ours.Zip(theirs), p => Assert.InRange(Math.Abs(p.First - p.Second), 0, Tolerance));

        // The export of a model folder (here the one just exported in Hugging Face layout) replaces an earlier ONNX export.
        StudentExport.Export(File("finetuned/model"), vocabulary, File("hf"));
        StudentExport.Export(File("hf"), vocabulary, File("exported"), ExportFormat.Onnx);
        Assert.Equal(theirs, OnnxRuntimeOracle.Run(File("exported/model.onnx"), batch, "logits"));
        Assert.Empty(Directory.GetFileSystemEntries(directory, ".*"));
    }

    [Fact]
    public void A_model_folder_without_a_vocabulary_takes_the_data_vocabulary_only_when_its_size_is_the_models()
    {
        manual_seed(15);
        using var model = new BertForMaskedLM(Config);
        StudentFolder.Save(model, Config, Tiny.Record, File("student"));
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
        StudentFolder.Save(model, Config with { H = 64, A = 4 }, Tiny.Record, File("mismatch"));   // the config says H 64, the weights hold H 32
        System.IO.File.Copy(File("broken/vocab.txt"), File("mismatch/vocab.txt"));
        var error = Assert.Throws<UserInputException>(() => StudentExport.Export(File("mismatch"), File("vocab.txt"), File("out"), ExportFormat.Onnx));
        Assert.Contains("shape", error.Message);
        Assert.False(Directory.Exists(File("out")));
        Assert.Empty(Directory.GetFileSystemEntries(directory, ".*"));
    }
}
