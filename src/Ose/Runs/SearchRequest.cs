namespace Ose.Runs;

/// <summary>Everything <c>ose search</c> is asked to do, as the user gave it; <see cref="SimulatedCost"/> makes a table's or the proxy's error cost that long per evaluation; <see cref="Inference"/> is how i(ξ) is counted (analytic or measured).</summary>
public sealed record SearchRequest(
    string Source,
    double Epsilon,
    string OutputDirectory,
    string? Space = null,
    string? Errors = null,
    string Searcher = "fptas",
    int SequenceLength = 128,
    TimeSpan? Budget = null,
    int? MaxEvaluations = null,
    long Seed = 0,
    TimeSpan? SimulatedCost = null,
    string Inference = SearchRun.AnalyticInference);
