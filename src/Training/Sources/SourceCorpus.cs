using Ose.Models.Sources;
using Ose.Models;
using Ose.Tasks.Data;
using Ose.Training;

namespace Ose.Training.Sources;

/// <summary>The prepared corpus as a source with weights reads it: tokenized with the source's own vocabulary.</summary>
public static class SourceCorpus
{
    /// <summary>
    /// The prepared corpus is tokenized with the prepared bert-base-uncased vocabulary; a source trained with another
    /// vocabulary would read other ids, so it must be that one (minilm's is, once its CRs are dropped).
    /// </summary>
    public static PretrainingCorpus Load(WeightedSource source, EncoderConfig config, DataDirectory data, int sequenceLength, int devSequences = 64)
    {
        if (sequenceLength > config.S)
            throw new UserInputException($"{source.Name} has {config.S} positions, fewer than the {sequenceLength} tokens per sequence read here");
        data.RequirePretrainingData();
        if (!File.ReadAllBytes(source.Vocabulary).AsSpan().SequenceEqual(File.ReadAllBytes(data.Vocabulary)))
            throw new UserInputException($"{source.Vocabulary} differs from the prepared {data.Vocabulary}: the prepared corpus is only tokenized with bert-base-uncased's vocabulary");
        return PretrainingCorpus.Load(data, sequenceLength, devSequences);
    }
}
