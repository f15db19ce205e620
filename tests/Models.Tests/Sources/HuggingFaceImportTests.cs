using Ose.Models.Checkpoints;
using Ose.Models.Sources;
using Xunit;
using static TorchSharp.torch;

namespace Ose.Models.Tests.Sources;

public sealed class HuggingFaceImportTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("ose-hf-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private static string ConfigJson(EncoderConfig c, string modelType) =>
        $$"""{"model_type": "{{modelType}}", "num_hidden_layers": {{c.D}}, "num_attention_heads": {{c.A}}, "hidden_size": {{c.H}}, "intermediate_size": {{c.I}}, "vocab_size": {{c.V}}, "max_position_embeddings": {{c.S}}, "type_vocab_size": {{c.T}}}""";

    [Fact]
    public void A_masked_lm_checkpoint_with_the_bert_prefix_imports_with_its_head_and_computes_the_same_logits()
    {
        manual_seed(5);
        var config = TinySources.Config();
        using var original = new BertForMaskedLM(config);
        original.eval();
        string folder = Path.Combine(directory, "mlm");
        StudentFolder.Save(original, config, new TrainingRecord(new HyperParameters(), Seed: 0), folder);

        using var weights = HuggingFaceImport.Read(folder);
        using var imported = SourceModels.MaskedLm(weights, CPU);

        Assert.True(weights.HasMaskedLmHead);
        Assert.Equal(config, weights.Config with { Dropout = 0 });
        var (ids, types, mask) = TinySources.Batch(config, 3, 10, seed: 1);
        var positions = mask.to(ScalarType.Bool);
        using var _ = no_grad();
        Assert.True(original.call(ids, types, mask, positions).allclose(imported.call(ids, types, mask, positions), rtol: 0, atol: 0));
    }

    [Fact]
    public void An_encoder_checkpoint_without_prefix_nor_head_imports_as_an_encoder()
    {
        var config = TinySources.Config(pooler: false);
        using var source = TinySources.Weights(config, seed: 2);
        using var encoder = SourceModels.Encoder(source, CPU);
        string folder = Path.Combine(directory, "encoder");
        Directory.CreateDirectory(folder);
        SafeTensors.Write(encoder, Path.Combine(folder, StudentFolder.WeightsFile));
        File.WriteAllText(Path.Combine(folder, "config.json"), ConfigJson(config, "bert"));

        using var weights = HuggingFaceImport.Read(folder);

        Assert.False(weights.HasMaskedLmHead);
        Assert.False(weights.Config.Pooler);
        Assert.All(source.Tensors, p => Assert.True(p.Value.allclose(weights[p.Key], rtol: 0, atol: 0), p.Key));
    }

    [Fact]
    public void A_roberta_folder_is_refused_because_its_positions_differ()
    {
        var config = TinySources.Config();
        using var source = TinySources.Weights(config);
        using var encoder = SourceModels.Encoder(source, CPU);
        string folder = Path.Combine(directory, "roberta");
        Directory.CreateDirectory(folder);
        SafeTensors.Write(encoder, Path.Combine(folder, StudentFolder.WeightsFile));
        File.WriteAllText(Path.Combine(folder, "config.json"), ConfigJson(config, "roberta"));

        var error = Assert.Throws<UserInputException>(() => HuggingFaceImport.Read(folder));
        Assert.Contains("roberta", error.Message);
    }

    [Fact]
    public void A_tensor_foreign_to_bert_is_an_error_naming_it()
    {
        var config = TinySources.Config();
        using var source = TinySources.Weights(config);
        var tensors = source.Tensors.ToDictionary(p => p.Key, p => p.Value.clone());
        tensors["encoder.layer.0.attention.self.distance_embedding.weight"] = zeros(4, 4);

        var error = Assert.Throws<UserInputException>(() => new SourceWeights(config, tensors, "odd"));
        Assert.Contains("distance_embedding", error.Message);
    }
}
