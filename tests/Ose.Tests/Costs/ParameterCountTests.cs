using Ose.Costs;

namespace Ose.Tests.Costs;

public sealed class ParameterCountTests
{
    private static ParameterCount Of(string preset)
    {
        var source = Source.Resolve(preset);
        return ParameterCount.Of(source.Architecture, source.Shape);
    }

    [Fact]
    public void Bert_base_uncased_has_109_482_240_parameters() => Assert.Equal(109_482_240, Of("bert-base").Total);

    [Fact]
    public void Bert_large_uncased_has_335_141_888_parameters_of_which_the_blocks_hold_302_309_376()
    {
        var count = Of("bert-large");
        Assert.Equal(335_141_888, count.Total);
        Assert.Equal(302_309_376, count.Effective);
    }

    [Fact]
    public void Bort_as_released_has_23_108_608_encoder_parameters_and_no_pooler()
    {
        var count = Of("bort");
        Assert.Equal(23_108_608, count.Effective);
        Assert.Equal(0, count.Output);
    }

    [Fact]
    public void Roberta_large_with_its_pooler_has_355_359_744_parameters() => Assert.Equal(355_359_744, Of("roberta-large").Total);

    [Fact]
    public void The_ABnC_parts_add_up_to_the_total()
    {
        foreach (string preset in Source.PresetNames)
        {
            var count = Of(preset);
            Assert.Equal(count.Total, count.Embeddings + count.PerBlock * count.Depth + count.Output);
        }
    }

    [Fact]
    public void The_output_layer_and_the_embeddings_each_cost_less_than_a_block_for_bert_large()
    {
        // The ABnC property (DESIGN §2.1) in parameters: C below one block. BERT's embedding table is the exception
        // the papers discuss; only the pooler is held to it here.
        var count = Of("bert-large");
        Assert.True(count.Output < count.PerBlock);
    }
}
