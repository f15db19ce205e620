namespace Ose.Models.Extraction;

/// <summary>The sequences importance is measured on: a fixed-seed sample of the training corpus, never the held-out part.</summary>
public static class CalibrationSample
{
    /// <summary>Minitron measured on 1,024 samples; a few thousand tokens already rank BERT's parts stably (docs/real-source.md).</summary>
    public const int DefaultSequences = 64;

    public static IReadOnlyList<long[]> Draw(IReadOnlyList<long[]> corpus, int sequences, long seed)
    {
        if (sequences < 1) throw new UserInputException($"--calibration must be positive, got {sequences}");
        var order = Enumerable.Range(0, corpus.Count).ToArray();
        new Random(unchecked((int)seed)).Shuffle(order);
        return order.Take(sequences).Select(i => corpus[i]).ToArray();
    }
}
