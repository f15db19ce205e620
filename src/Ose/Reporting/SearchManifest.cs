using Ose.IO;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.Json;
using Ose.Runs;

namespace Ose.Reporting;

/// <summary><c>search.json</c>: the inputs, seed, versions, timings and counts that let anyone re-run and compare.</summary>
public static class SearchManifest
{
    public static void Write(string path, SearchOutcome outcome)
    {
        var r = outcome.Result;
        var best = r.Best;
        var manifest = new
        {
            inputs = new
            {
                source = outcome.Source.Name,
                source_architecture = Describe(outcome.Source.Architecture),
                vocabulary = outcome.Source.Shape.V,
                max_positions = outcome.Source.Shape.S,
                token_types = outcome.Source.Shape.T,
                pooler = outcome.Source.Shape.HasPooler,
                space = outcome.SpaceName,
                candidates = r.Candidates.Count,
                epsilon = outcome.Request.Epsilon,
                searcher = r.Searcher,
                error = outcome.ErrorIdentity,
                sequence_length = outcome.Request.SequenceLength,
                budget_seconds = outcome.Request.Budget?.TotalSeconds,
                max_evaluations = outcome.Request.MaxEvaluations,
                seed = outcome.Request.Seed,
            },
            versions = new
            {
                ose = typeof(SearchManifest).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion,
                dotnet = RuntimeInformation.FrameworkDescription,
                os = RuntimeInformation.OSDescription,
            },
            timings = new
            {
                search_seconds = r.Elapsed.TotalSeconds,
                total_seconds = outcome.Total.TotalSeconds,
            },
            counts = new
            {
                evaluations = r.Evaluations,
                evaluations_new = outcome.EvaluationsSpent,
                evaluations_from_store = outcome.EvaluationsReused,
                evaluations_to_certify_answer = r.EvaluationsToCertify,
                covered_by_front = r.CoveredCount,
                front = outcome.Front.Count,
                monotonicity_violations = r.MonotonicityViolations.Count,
            },
            result = new
            {
                chosen = Describe(best.Architecture),
                parameters = best.Parameters,
                parameters_effective = outcome.EffectiveParameters[r.BestIndex],
                inference = best.Inference,
                error = best.Error,
                W = best.W,
                certified_gap = double.IsFinite(r.CertifiedGap) ? r.CertifiedGap : (double?)null,
                stop_reason = r.StopReason.ToString(),
            },
            monotonicity_violations = r.MonotonicityViolations.Take(20).Select(v => new
            {
                larger = Describe(v.Larger), larger_error = v.LargerError,
                smaller = Describe(v.Smaller), smaller_error = v.SmallerError,
            }),
        };
        CrashSafe.WriteText(path, JsonSerializer.Serialize(manifest, new JsonSerializerOptions { WriteIndented = true }));
    }

    private static object Describe(Architecture ξ) => new { ξ.D, ξ.A, ξ.H, ξ.I };
}
