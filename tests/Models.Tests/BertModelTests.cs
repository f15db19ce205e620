using Ose.Costs;
using TorchSharp;
using static TorchSharp.torch;

namespace Ose.Models.Tests;

public class BertModelTests
{
    static readonly Device Meta = new(DeviceType.META);

    /// <summary>The search's count (src/Ose, no TorchSharp) for the network this config builds.</summary>
    static ParameterCount Counted(EncoderConfig c) => ParameterCount.Of(new Architecture(c.D, c.A, c.H, c.I), new FixedShape(c.V, c.S, c.T, c.Pooler));

    /// <summary>The real network's parameters, summed over the part of the ABnC decomposition their names put them in.</summary>
    static (long Embeddings, long Blocks, long Pooler) Measured(BertModel model)
    {
        long Sum(string prefix) => model.named_parameters().Where(p => p.name.StartsWith(prefix, StringComparison.Ordinal)).Sum(p => p.parameter.numel());
        return (Sum("embeddings."), Sum("encoder."), Sum("pooler."));
    }

    [Theory]
    [InlineData(1, 1, 8, 16, 50, 12, 1, false)]
    [InlineData(2, 2, 32, 64, 100, 16, 2, true)]
    [InlineData(3, 4, 48, 40, 30, 20, 3, true)]
    [InlineData(2, 8, 64, 256, 1000, 64, 2, false)]
    [InlineData(6, 12, 384, 1536, 30522, 512, 2, true)]
    [InlineData(4, 8, 1024, 768, 50265, 514, 1, false)]
    public void The_search_counts_exactly_the_parameters_of_the_network_it_describes(int D, int A, int H, int I, int V, int S, int T, bool pooler)
    {
        var config = new EncoderConfig(D, A, H, I, V, S, T, pooler);
        using var model = new BertModel(config, Meta);
        var counted = Counted(config);
        Assert.Equal((counted.Embeddings, counted.Blocks, counted.Output), Measured(model));
        Assert.Equal(counted.Total, model.ParameterCount());
    }

    [Fact]
    public void Parameter_counts_of_bert_base_and_large_match_the_released_models_built_on_the_meta_device()
    {
        // Meta tensors have shapes and no storage. (TorchSharp builds nn.Embedding on the CPU and then moves it,
        // so only the embedding tables pass through memory, briefly.)
        using var bertBase = new BertModel(EncoderConfig.BertBase, Meta);
        using var bertLarge = new BertModel(EncoderConfig.BertLarge, Meta);

        Assert.All(bertBase.parameters(), p => Assert.Equal(DeviceType.META, p.device_type));
        Assert.Equal(109_482_240L, bertBase.ParameterCount());
        Assert.Equal(335_141_888L, bertLarge.ParameterCount());
        Assert.Equal(302_309_376L, Measured(bertLarge).Blocks);
        Assert.Equal(Counted(EncoderConfig.BertLarge).Blocks, Measured(bertLarge).Blocks);
        Assert.Equal(Counted(EncoderConfig.BertBase).Total, bertBase.ParameterCount());
    }

    [Fact]
    public void Masked_lm_head_adds_a_dense_layer_a_layer_norm_and_a_vocabulary_bias_but_no_decoder_weight()
    {
        var config = Tiny.Config(pooler: true);
        using var model = new BertForMaskedLM(config);
        long head = (long)config.H * config.H + config.H + 2L * config.H + config.V;
        Assert.Equal(Counted(config).Total + head, model.ParameterCount());
    }

    [Fact]
    public void Weight_names_are_those_of_hugging_face_bert_checkpoints()
    {
        using var model = new BertForMaskedLM(new EncoderConfig(D: 1, A: 2, H: 8, I: 16, V: 20, S: 10, T: 2, Pooler: true));
        var expected = new List<string>
        {
            "embeddings.word_embeddings.weight", "embeddings.position_embeddings.weight", "embeddings.token_type_embeddings.weight",
            "embeddings.LayerNorm.weight", "embeddings.LayerNorm.bias",
        };
        foreach (var part in new[] { "attention.self.query", "attention.self.key", "attention.self.value",
                     "attention.output.dense", "attention.output.LayerNorm", "intermediate.dense", "output.dense", "output.LayerNorm" })
            expected.AddRange(new[] { $"encoder.layer.0.{part}.weight", $"encoder.layer.0.{part}.bias" });
        expected.AddRange(new[] { "pooler.dense.weight", "pooler.dense.bias" });
        expected = expected.Select(name => "bert." + name).ToList();
        expected.AddRange(new[] { "cls.predictions.transform.dense.weight", "cls.predictions.transform.dense.bias",
            "cls.predictions.transform.LayerNorm.weight", "cls.predictions.transform.LayerNorm.bias", "cls.predictions.bias" });

        Assert.Equal(expected.OrderBy(n => n), model.state_dict().Keys.OrderBy(n => n));
    }

    [Fact]
    public void Initialisation_is_berts_normal_002_with_zero_biases_and_unit_layer_norms()
    {
        manual_seed(5);
        using var model = new BertModel(new EncoderConfig(D: 2, A: 4, H: 64, I: 128, V: 500, S: 32, T: 2));
        var weights = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);

        Assert.Equal(0.02, weights["embeddings.word_embeddings.weight"].std().item<float>(), 2);
        Assert.Equal(0.02, weights["encoder.layer.1.intermediate.dense.weight"].std().item<float>(), 2);
        Assert.True(weights["encoder.layer.0.attention.self.query.bias"].eq(0).all().item<bool>());
        Assert.True(weights["encoder.layer.1.output.LayerNorm.weight"].eq(1).all().item<bool>());
        Assert.True(weights["embeddings.LayerNorm.bias"].eq(0).all().item<bool>());
    }

    [Fact]
    public void Padding_does_not_change_the_hidden_states_of_real_tokens()
    {
        manual_seed(11);
        using var model = new BertModel(Tiny.Config());
        model.eval();
        using var _ = no_grad();
        var ids = tensor(new long[] { 7, 8, 9, 10, 11, 12 }).unsqueeze(0);
        var padded = tensor(new long[] { 7, 8, 9, 10, 11, 12, 0, 0, 0 }).unsqueeze(0);
        var mask = tensor(new long[] { 1, 1, 1, 1, 1, 1, 0, 0, 0 }).unsqueeze(0);

        var alone = model.call(ids, zeros_like(ids), ones_like(ids));
        var withPadding = model.call(padded, zeros_like(padded), mask).narrow(1, 0, 6);

        Assert.True(alone.allclose(withPadding, rtol: 0, atol: 1e-5));
    }

    [Fact]
    public void Heads_must_divide_the_hidden_size()
    {
        Assert.Throws<ArgumentException>(() => new BertModel(new EncoderConfig(D: 1, A: 3, H: 8, I: 16, V: 20, S: 10, T: 2)));
    }
}
