using Ose.Costs;

namespace Ose.Tests.Costs;

public sealed class OperationCountTests
{
    private static readonly FixedShape Shape = new(30522, 512, 2, true);

    [Fact]
    public void The_block_matrix_products_are_two_times_4LH2_plus_2LHI_plus_2L2H()
    {
        double l = 128, h = 768, i = 3072;
        Assert.Equal(2 * (4 * l * h * h + 2 * l * h * i + 2 * l * l * h), OperationCount.BlockMatrixTerms(l, h, i));
    }

    [Fact]
    public void The_operation_count_grows_with_each_of_D_H_I_and_the_sequence_length()
    {
        var ξ = new Architecture(4, 8, 512, 1024);
        double baseline = OperationCount.Of(ξ, Shape, 128).Total;
        Assert.True(OperationCount.Of(ξ with { D = 5 }, Shape, 128).Total > baseline);
        Assert.True(OperationCount.Of(ξ with { H = 768 }, Shape, 128).Total > baseline);
        Assert.True(OperationCount.Of(ξ with { I = 2048 }, Shape, 128).Total > baseline);
        Assert.True(OperationCount.Of(ξ, Shape, 256).Total > baseline);
    }

    [Fact]
    public void A_block_dominates_the_embeddings_and_the_output_layer()
    {
        var count = OperationCount.Of(new Architecture(24, 16, 1024, 4096), Shape, 128);
        Assert.True(count.Embeddings < count.PerBlock);
        Assert.True(count.Output < count.PerBlock);
    }

    [Fact]
    public void Bert_large_costs_more_than_ten_times_bort()
    {
        var large = Source.Resolve("bert-large");
        var bort = Source.Resolve("bort");
        Assert.True(OperationCount.Of(large.Architecture, large.Shape, 128).Total
            > 10 * OperationCount.Of(bort.Architecture, bort.Shape, 128).Total);
    }
}
