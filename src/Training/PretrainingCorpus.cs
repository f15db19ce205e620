using System.Security.Cryptography;
using Ose.Models.Text;
using Ose.Tasks.Data;

namespace Ose.Training;

/// <summary>The prepared corpus, tokenized and packed into sequences of one length: what pretraining reads.</summary>
public sealed record PretrainingCorpus(IReadOnlyList<long[]> Train, IReadOnlyList<long[]> Dev, SpecialTokens Tokens, string Identity)
{
    /// <param name="devSequences">How many held-out sequences evaluation uses (the first ones: fixed).</param>
    public static PretrainingCorpus Load(DataDirectory data, int sequenceLength, int devSequences = 64)
    {
        data.RequirePretrainingData();
        var tokenizer = WordPieceTokenizer.Load(data.Vocabulary);
        IReadOnlyList<long[]> Read(string path) =>
            PackedCorpus.Pack(File.ReadLines(path).AsParallel().AsOrdered().Select(tokenizer.Encode), sequenceLength, tokenizer.Special);
        var dev = Read(data.CorpusDev);
        string identity = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(data.CorpusTrain)))[..12];
        return new PretrainingCorpus(Read(data.CorpusTrain), dev.Take(devSequences).ToArray(), tokenizer.Special, identity);
    }
}
