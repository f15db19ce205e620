using Ose.Search;

namespace Ose.Runs;

/// <summary>A finished search with everything its reports need.</summary>
public sealed record SearchOutcome(
    SearchRequest Request,
    Source Source,
    string SpaceName,
    string ErrorIdentity,
    SearchResult Result,
    IReadOnlyList<long> EffectiveParameters,
    IReadOnlyList<int> Front,
    int EvaluationsSpent,
    int EvaluationsReused,
    double SourceParameters,
    double SourceInference,
    IReadOnlyList<Architecture> LargerThanSource,
    TimeSpan Total,
    MeasuredInference? Measured = null);

/// <summary>i(ξ) as latency measured on this machine: the fitted model with its sample, and how long measuring took.</summary>
public sealed record MeasuredInference(Objectives.FittedLatency Latency, string Engine, TimeSpan Measuring);
