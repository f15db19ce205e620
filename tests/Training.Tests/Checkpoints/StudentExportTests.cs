using Ose.Models.Checkpoints;
using Ose.Models;
using Ose.Models.Extraction;
using Ose.Training.Distil;
using static TorchSharp.torch;

namespace Ose.Training.Tests;

public sealed class StudentExportTests : IDisposable
{
    private static readonly Architecture Chosen = new(1, 2, 64, 256);

    private readonly string root = Directory.CreateTempSubdirectory("ose-export-").FullName;
    private string Vocabulary => Path.Combine(root, "vocab.txt");
    private string Run => Path.Combine(root, "run");
    private string Out => Path.Combine(root, "exported");

    public StudentExportTests()
    {
        File.WriteAllLines(Vocabulary, ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "the", "film", "was", "good", "bad"]);
        Directory.CreateDirectory(Run);
        File.WriteAllText(Path.Combine(Run, "search.json"),
            """{"inputs": {"source": "bert-mini"}, "result": {"chosen": {"D": 1, "A": 2, "H": 64, "I": 256}}}""");
    }

    public void Dispose() => Directory.Delete(root, recursive: true);

    /// <summary>What training-based error leaves behind for the chosen candidate: its last training checkpoint.</summary>
    private BertForMaskedLM TrainedCandidate()
    {
        var shape = Source.Resolve("bert-mini").Shape with { V = 10, HasPooler = false };
        manual_seed(3);
        var config = EncoderConfig.From(Chosen, shape);
        var model = new BertForMaskedLM(config);
        using var optimizer = optim.AdamW(model.parameters());
        new TrainingCheckpoint(CheckpointDirectory).Save(model, config, Tiny.Record, optimizer, [10.0]);
        return model;
    }

    private string CheckpointDirectory => TrainedError.CheckpointDirectory(Path.Combine(Run, TrainedErrorSetup.TrainingFolder), Chosen, 0);

    private static void AssertSameWeights(BertForMaskedLM expected, BertForMaskedLM actual)
    {
        var a = expected.state_dict();
        var b = actual.state_dict();
        Assert.Equal(a.Keys.Order(), b.Keys.Order());
        foreach (var (name, tensor) in a) Assert.True(tensor.allclose(b[name], rtol: 0, atol: 0), name);
    }

    [Fact]
    public void The_chosen_trained_candidate_of_a_search_run_exports_to_a_folder_ose_loads_back_with_the_same_weights()
    {
        using var trained = TrainedCandidate();

        StudentExport.Export(Run, Vocabulary, Out);

        Assert.Equal(["config.json", "model.safetensors", "training.json", "vocab.txt"], Directory.GetFiles(Out).Select(Path.GetFileName).Order());
        Assert.Equal(Tiny.Record, TrainingRecord.Read(Out));
        Assert.Equal(File.ReadAllText(Vocabulary), File.ReadAllText(Path.Combine(Out, "vocab.txt")));
        using var loaded = StudentFolder.Load(Out, CPU);
        AssertSameWeights(trained, loaded);
        Assert.Empty(Directory.GetFileSystemEntries(root, ".*"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void The_chosen_candidate_of_a_distillation_search_exports_its_encoder_which_computes_what_it_computed(bool maskedLmHead)
    {
        var sourceConfig = TinySources.Config();
        var ξ = new Architecture(2, 2, 16, 24);
        using var source = TinySources.Weights(sourceConfig, seed: 7, maskedLmHead);
        var plan = ExtractionPlan.For(Importance.Measure(source, TinySources.Calibration(sourceConfig, 8), pad: 0), sourceConfig, ξ);
        using var extracted = Extractor.Extract(source, plan, seed: 2);
        using var student = new DistillationStudent(extracted, plan, sourceConfig.H, CPU);
        using (var _ = no_grad())
            foreach (var p in student.parameters()) p.add_(randn_like(p) * 0.1);   // as if distilled: not the extraction's weights
        using (var optimizer = optim.AdamW(student.parameters()))
            new TrainingCheckpoint(TrainedError.CheckpointDirectory(Path.Combine(Run, DistilledErrorSetup.WorkFolder), ξ, 0))
                .Save(student, student.Config, Tiny.Record, optimizer, [1.0]);
        File.WriteAllText(Path.Combine(Run, "search.json"),
            """{"inputs": {"source": "minilm"}, "result": {"chosen": {"D": 2, "A": 2, "H": 16, "I": 24}}}""");
        File.WriteAllLines(Vocabulary, Enumerable.Range(0, sourceConfig.V).Select(k => $"w{k}"));

        Assert.Contains("distilled", StudentExport.Export(Run, Vocabulary, Out));

        Assert.Equal(["config.json", "model.safetensors", "training.json", "vocab.txt"], Directory.GetFiles(Out).Select(Path.GetFileName).Order());
        using var loaded = (BertModel)HuggingFaceModel.Load(Out, Vocabulary, CPU);
        student.eval();
        loaded.eval();
        var batch = TinySources.Batch(sourceConfig, sequences: 3, length: 10, seed: 4);
        using var __ = no_grad();
        var expected = student.Hidden(batch.Ids, batch.Types, batch.Mask).Own;
        Assert.True(expected.allclose(TinySources.Hidden(loaded, batch), rtol: 0, atol: 0));
    }

    [Fact]
    public void The_chosen_trained_candidate_exports_as_onnx_that_onnx_runtime_runs_as_the_checkpoint_does()
    {
        using var trained = TrainedCandidate();

        StudentExport.Export(Run, Vocabulary, Out, ExportFormat.Onnx);

        Assert.Equal(["config.json", "model.onnx", "training.json", "vocab.txt"], Directory.GetFiles(Out).Select(Path.GetFileName).Order());
        var batch = PaddedBatch.Random([6, 3], 6, 10, 2, seed: 5);
        float difference = batch.MaxDifferenceAtTokens(OnnxRuntimeOracle.Ours(trained.Bert.call, trained, batch),
            OnnxRuntimeOracle.Run(Path.Combine(Out, "model.onnx"), batch, "last_hidden_state"));
        Assert.InRange(difference, 0, 1e-4f);
    }

    [Fact]
    public void A_pretrain_output_exports_its_model_with_the_data_vocabulary()
    {
        var config = Tiny.Config(V: 10);
        manual_seed(4);
        using var model = new BertForMaskedLM(config);
        string pretrained = Path.Combine(root, "pretrained");
        StudentFolder.Save(model, config, Tiny.Record, Path.Combine(pretrained, "model"));

        StudentExport.Export(pretrained, Vocabulary, Out);

        using var loaded = StudentFolder.Load(Out, CPU);
        AssertSameWeights(model, loaded);
        Assert.True(File.Exists(Path.Combine(Out, "vocab.txt")));
    }

    [Fact]
    public void A_search_whose_chosen_candidate_was_never_trained_has_nothing_to_export()
    {
        var error = Assert.Throws<UserInputException>(() => StudentExport.Export(Run, Vocabulary, Out));
        Assert.Contains("was not trained", error.Message);
        Assert.False(Directory.Exists(Out));
    }

    [Fact]
    public void A_folder_that_is_no_run_and_weights_of_another_shape_are_user_errors()
    {
        Assert.Throws<UserInputException>(() => StudentExport.Export(Path.Combine(root, "nowhere"), Vocabulary, Out));
        File.Delete(Path.Combine(Run, "search.json"));
        Assert.Contains("neither", Assert.Throws<UserInputException>(() => StudentExport.Export(Run, Vocabulary, Out)).Message);

        File.WriteAllText(Path.Combine(Run, "search.json"),
            """{"inputs": {"source": "bert-mini"}, "result": {"chosen": {"D": 1, "A": 2, "H": 64, "I": 256}}}""");
        using (TrainedCandidate()) { }
        string config = Path.Combine(new TrainingCheckpoint(CheckpointDirectory).Folder, "config.json");
        File.WriteAllText(config, File.ReadAllText(config).Replace("\"intermediate_size\": 256", "\"intermediate_size\": 128"));
        Assert.Contains("does not hold", Assert.Throws<UserInputException>(() => StudentExport.Export(Run, Vocabulary, Out)).Message);
        Assert.False(Directory.Exists(Out));

        using (TrainedCandidate()) { }
        File.AppendAllLines(Vocabulary, ["extra"]);   // 11 words: the checkpoint's embeddings hold 10
        Assert.Contains("vocabulary", Assert.Throws<UserInputException>(() => StudentExport.Export(Run, Vocabulary, Out)).Message);
        Assert.False(Directory.Exists(Out));
    }

    [Fact]
    public void An_output_folder_holding_the_run_or_other_files_is_refused_and_left_alone_but_an_earlier_export_is_replaced()
    {
        using var trained = TrainedCandidate();
        Assert.Contains("holds the run", Assert.Throws<UserInputException>(() => StudentExport.Export(Run, Vocabulary, root)).Message);
        Assert.Contains("holds the run", Assert.Throws<UserInputException>(() => StudentExport.Export(Run, Vocabulary, Run)).Message);

        string busy = Path.Combine(root, "busy");
        Directory.CreateDirectory(busy);
        File.WriteAllText(Path.Combine(busy, "notes.txt"), "mine");
        Assert.Contains("not an earlier export", Assert.Throws<UserInputException>(() => StudentExport.Export(Run, Vocabulary, busy)).Message);
        Assert.Equal("mine", File.ReadAllText(Path.Combine(busy, "notes.txt")));

        StudentExport.Export(Run, Vocabulary, Out);
        StudentExport.Export(Run, Vocabulary, Out);
        using var loaded = StudentFolder.Load(Out, CPU);
        AssertSameWeights(trained, loaded);
    }
}
