using Ose.Costs;
using Ose.Models.Extraction;
using Ose.Models.Sources;
using Ose.Tasks.Data;
using Ose.Training.Sources;

namespace Ose.Training.Tests.Sources;

public sealed class MiniLmExtractionTests
{
    private static readonly DataDirectory Data = DataDirectory.Resolve(null);

    [PreparedSourceFact(needsCorpus: true)]
    public void Extracting_minilm_s_own_shape_reproduces_it_exactly_and_a_smaller_shape_has_p_of_xi_parameters()
    {
        var weighted = WeightedSource.Resolve("minilm", Data);
        using var weights = weighted.ReadWeights();
        var corpus = SourceCorpus.Load(weighted, weights.Config, Data, sequenceLength: 64, devSequences: 8);
        var importance = Importance.Measure(weights,
            CalibrationSample.Draw(corpus.Train, 8, seed: 0), corpus.Tokens.Pad);
        var whole = new Architecture(6, 12, 384, 1536);

        using (var same = Extractor.Extract(weights, ExtractionPlan.For(importance, weights.Config, whole)))
            Assert.All(weights.Tensors, p => Assert.True(p.Value.allclose(same[p.Key], rtol: 0, atol: 0), p.Key));

        var ξ = new Architecture(2, 4, 128, 512);
        using var small = Extractor.Extract(weights, ExtractionPlan.For(importance, weights.Config, ξ));
        Assert.Equal(ParameterCount.Of(ξ, new FixedShape(30522, 512, 2, true)).Total,
            SourceWeights.EncoderNames(small.Config).Sum(n => small[n].numel()));
    }
}
