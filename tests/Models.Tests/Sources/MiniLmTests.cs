using Ose.Costs;
using Ose.Models.Data;
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

public sealed class MiniLmExtractionTests
{
    private static readonly DataDirectory Data = DataDirectory.Resolve(null);

    [PreparedSourceFact(needsCorpus: true)]
    public void Extracting_minilm_s_own_shape_reproduces_it_exactly_and_a_smaller_shape_has_p_of_xi_parameters()
    {
        var weighted = WeightedSource.Resolve("minilm", Data);
        using var weights = weighted.ReadWeights();
        var corpus = SourceCorpus.Load(weighted, weights.Config, Data, sequenceLength: 64, devSequences: 8);
        var importance = Ose.Models.Extraction.Importance.Measure(weights,
            Ose.Models.Extraction.CalibrationSample.Draw(corpus.Train, 8, seed: 0), corpus.Tokens.Pad);
        var whole = new Architecture(6, 12, 384, 1536);

        using (var same = Ose.Models.Extraction.Extractor.Extract(weights, Ose.Models.Extraction.ExtractionPlan.For(importance, weights.Config, whole)))
            Assert.All(weights.Tensors, p => Assert.True(p.Value.allclose(same[p.Key], rtol: 0, atol: 0), p.Key));

        var ξ = new Architecture(2, 4, 128, 512);
        using var small = Ose.Models.Extraction.Extractor.Extract(weights, Ose.Models.Extraction.ExtractionPlan.For(importance, weights.Config, ξ));
        Assert.Equal(ParameterCount.Of(ξ, new FixedShape(30522, 512, 2, true)).Total,
            SourceWeights.EncoderNames(small.Config).Sum(n => small[n].numel()));
    }
}
