namespace Ose.Models.Training;

/// <summary>
/// Which sequences form the batch of a step: epoch by epoch, each epoch a permutation drawn from (seed, epoch). A
/// function of (seed, step) alone, so a run resumed from a checkpoint reads the batches an uninterrupted run reads, and
/// two runs with one seed (two candidates of a search) read the same batches.
/// </summary>
public sealed class BatchOrder(int corpusSize, int batchSize, long seed)
{
    public const long SeedStride = 1_000_003;

    private (int Epoch, int[] Order)? epochOrder;

    public int[] Indices(int step)
    {
        var indices = new int[batchSize];
        for (int b = 0; b < batchSize; b++)
        {
            long position = (long)step * batchSize + b;
            indices[b] = EpochOrder((int)(position / corpusSize))[position % corpusSize];
        }
        return indices;
    }

    private int[] EpochOrder(int epoch)
    {
        if (epochOrder is not { } cached || cached.Epoch != epoch)
        {
            var order = Enumerable.Range(0, corpusSize).ToArray();
            // System.Random with a seed is stable across processes (HashCode.Combine is not).
            new Random(unchecked((int)(seed * SeedStride + epoch))).Shuffle(order);
            epochOrder = cached = (epoch, order);
        }
        return cached.Order;
    }
}
