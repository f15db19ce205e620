namespace Ose;

/// <summary>
/// Every random draw here is a function of the user's seed and where it happens (a step, an epoch, a round), so a run
/// resumed after a kill draws what an uninterrupted run draws. One mixing rule for all of them.
/// </summary>
public static class Seeds
{
    /// <summary>The seed of stream <paramref name="stream"/> (a step, an epoch, a candidate's index) under <paramref name="seed"/>.</summary>
    public static long Derive(long seed, long stream) => unchecked(seed * 1_000_003 + stream);

    /// <summary>A <see cref="System.Random"/> for one stream: seeded System.Random is stable across processes (HashCode is not).</summary>
    public static Random Random(long seed, long stream) => new(unchecked((int)Derive(seed, stream)));
}
