namespace Ose.Training;

/// <summary>
/// The order in which training examples are visited: epoch by epoch, each epoch a permutation drawn from (seed, epoch),
/// so the batch of any step is a function of (seed, step) and a resumed run visits what an uninterrupted one visits.
/// </summary>
public sealed class EpochOrder(int count, long seed)
{
    private (long Epoch, int[] Order)? cached;

    public int this[long position]
    {
        get
        {
            long epoch = position / count;
            if (cached is not { } c || c.Epoch != epoch)
            {
                var order = Enumerable.Range(0, count).ToArray();
                Seeds.Random(seed, epoch).Shuffle(order);
                cached = c = (epoch, order);
            }
            return c.Order[position % count];
        }
    }

    /// <summary>The examples of 0-based step <paramref name="step"/> in batches of <paramref name="batchSize"/>.</summary>
    public int[] Batch(int step, int batchSize) =>
        Enumerable.Range(0, batchSize).Select(b => this[(long)step * batchSize + b]).ToArray();
}
