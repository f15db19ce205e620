namespace Ose.Search;

/// <summary>
/// The random audit of pruned candidates before a certificate (DESIGN §2.3): a bound is an assumption about a candidate
/// nobody evaluated, so a seeded uniform sample of them is evaluated, and any one whose error lies below its bound
/// (beyond the noise tolerance) withdraws the bounds that pruned it.
/// The sample is the smallest that catches a violation rate of <see cref="DetectableRate"/> with probability
/// <see cref="Confidence"/>: with m pruned candidates of which v = ⌈r·m⌉ violate, a sample of n misses them all with
/// the hypergeometric probability C(m−v, n)/C(m, n) = ∏_{j&lt;n} (m−v−j)/(m−j), and n is the least that makes it
/// at most 1 − confidence (29 for large m, all of them when m is small).
/// </summary>
public static class Audit
{
    /// <summary>The violation rate among pruned candidates worth reporting: one bound in ten being false.</summary>
    public const double DetectableRate = 0.10;

    public const double Confidence = 0.95;

    public static int SampleSize(int pruned)
    {
        if (pruned <= 0) return 0;
        int violating = (int)Math.Ceiling(DetectableRate * pruned);
        double miss = 1;
        for (int n = 1; n <= pruned; n++)
        {
            miss *= (double)(pruned - violating - (n - 1)) / (pruned - (n - 1));
            if (miss <= 1 - Confidence) return n;
        }
        return pruned;
    }

    /// <summary>
    /// A uniform sample of <see cref="SampleSize"/> of the given candidates, a function of the seed, the round and the
    /// candidates only (so a resumed search draws the same sample), in ascending order.
    /// </summary>
    public static int[] Sample(IReadOnlyList<int> pruned, long seed, int round)
    {
        int n = SampleSize(pruned.Count);
        var pool = pruned.Order().ToArray();
        var random = Seeds.Random(seed, round);
        // The first n steps of a Fisher-Yates shuffle.
        for (int j = 0; j < n; j++)
        {
            int pick = j + random.Next(pool.Length - j);
            (pool[j], pool[pick]) = (pool[pick], pool[j]);
        }
        var sample = pool[..n];
        Array.Sort(sample);
        return sample;
    }
}
