namespace Ose.Runs;

/// <summary>
/// The engine <c>--inference measured</c> times candidates in: its name, and the median forward latency in seconds of
/// one architecture with the source's vocabulary, positions and token types at batch 1 over a sequence length.
/// </summary>
public sealed record LatencyMeasurer(string Engine, Func<Architecture, FixedShape, int, double> Measure);
