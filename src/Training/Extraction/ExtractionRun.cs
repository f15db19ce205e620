using Ose.Models.Extraction;
using Ose.Training.Sources;
using Ose.Models;
using Ose.Tasks.Data;
using Ose.Models.Sources;
using Ose.Training;

namespace Ose.Training.Extraction;

/// <summary>What `ose extract` did.</summary>
public sealed record ExtractionOutcome(Source Source, ExtractionPlan Plan, long Parameters, long Tokens, string Folder);

/// <summary>
/// `ose extract`: reads a source with weights, measures importance on a calibration sample of the prepared corpus,
/// cuts ξ out and writes it in Hugging Face layout.
/// </summary>
public static class ExtractionRun
{
    /// <summary>Calibration sequences are this long (BERT's pretraining used 128 for 90% of its steps).</summary>
    public const int SequenceLength = 128;

    public static ExtractionOutcome Execute(string sourceName, Architecture ξ, string outFolder, DataDirectory data,
        int calibrationSequences = CalibrationSample.DefaultSequences, long seed = 0)
    {
        var weighted = WeightedSource.Resolve(sourceName, data);
        using var weights = weighted.ReadWeights();
        ExtractionPlan.RequireWithin(ξ, weights.Config);
        var corpus = SourceCorpus.Load(weighted, weights.Config, data, SequenceLength);
        var importance = Importance.Measure(weights, CalibrationSample.Draw(corpus.Train, calibrationSequences, seed), corpus.Tokens.Pad);
        var plan = ExtractionPlan.For(importance, weights.Config, ξ);
        using var extracted = Extractor.Extract(weights, plan, seed);
        ExtractedFolder.Write(extracted, plan, weighted.Name, weighted.Vocabulary, outFolder);
        long parameters = SourceWeights.EncoderNames(extracted.Config).Sum(n => extracted[n].numel());
        return new ExtractionOutcome(weighted.Describe(weights), plan, parameters, importance.Tokens, outFolder);
    }
}
