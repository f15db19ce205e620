using Ose.Costs;
using Ose.Tasks.Data;
using Ose.Models.Sources;
using Xunit;

namespace Ose.Models.Tests.Sources;

/// <summary>The real source: all-MiniLM-L6-v2 as `ose data prepare` copies it out of its NuGet package.</summary>
public sealed class MiniLmTests
{
    private static readonly DataDirectory Data = DataDirectory.Resolve(null);

    [PreparedSourceFact]
    public void Minilm_imports_as_the_published_architecture_with_every_parameter_counted()
    {
        var weighted = WeightedSource.Resolve("minilm", Data);
        using var weights = weighted.ReadWeights();
        var source = weighted.Describe(weights);

        Assert.Equal(new Architecture(6, 12, 384, 1536), source.Architecture);
        Assert.Equal(new FixedShape(30522, 512, 2, HasPooler: true), source.Shape);
        Assert.False(weights.HasMaskedLmHead);
        Assert.Equal(22_713_216L, ParameterCount.Of(source.Architecture, source.Shape).Total);
        Assert.Equal(22_713_216L, SourceWeights.EncoderNames(weights.Config).Sum(n => weights[n].numel()));
    }

    [PreparedSourceFact]
    public void Onnx_runtime_and_our_encoder_agree_on_minilm_within_1e_4()
    {
        var weighted = WeightedSource.Resolve("minilm", Data);
        using var weights = weighted.ReadWeights();

        var comparison = OnnxRuntimeComparison.Compare(weighted.Location, weights, weighted.Vocabulary, threads: 1);

        Assert.True(comparison.Agrees, $"max |Δ last_hidden_state| = {comparison.MaxAbsoluteDifference}");
        Assert.True(comparison.Sequences > 1 && comparison.Tokens < comparison.Sequences * comparison.PaddedLength);
    }

    [PreparedSourceFact(needsCorpus: true)]
    public void Minilm_vocabulary_is_the_prepared_one()
    {
        var weighted = WeightedSource.Resolve("minilm", Data);
        Assert.Equal(File.ReadAllBytes(Data.Vocabulary), File.ReadAllBytes(weighted.Vocabulary));
    }
}
