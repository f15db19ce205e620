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
                source_parameters = outcome.SourceParameters,
                source_inference = outcome.SourceInference,
                vocabulary = outcome.Source.Shape.V,
                max_positions = outcome.Source.Shape.S,
                token_types = outcome.Source.Shape.T,
                pooler = outcome.Source.Shape.HasPooler,
                space = outcome.SpaceName,
                candidates = r.Candidates.Count,
                larger_than_source = outcome.LargerThanSource.Select(Describe),
                epsilon = outcome.Request.Epsilon,
                searcher = r.Searcher,
                error = outcome.ErrorIdentity,
                sequence_length = outcome.Request.SequenceLength,
                budget_seconds = outcome.Request.Budget?.TotalSeconds,
                max_evaluations = outcome.Request.MaxEvaluations,
                seed = outcome.Request.Seed,
            },
            inference = Inference(outcome),
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
                candidates_evaluated = r.Evaluated,
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
                stop_reason = r.StopReason.ToString(),
            },
            certificate = new
            {
                kind = r.Certificate.Kind.ToString(),
                gap = r.Certificate.Gap,
                statement = r.Certificate.Describe(),
                assumption = r.Certificate.Kind == Search.CertificateKind.Bounds ? r.Certificate.Assumption : null,
                bounding_axes = r.Certificate.Axes.Select(a => a.ToString()),
                tolerance_factor = r.Certificate.ToleranceFactor,
                pruned = r.Certificate.Pruned,
                audited = r.Certificate.Audited,
                audit_detectable_rate = Search.Audit.DetectableRate,
                audit_confidence = Search.Audit.Confidence,
            },
            // The best evaluated candidates by W: with a certificate of none, what the search can offer.
            ranking = r.Candidates.Where(c => c.W is not null).OrderByDescending(c => c.W).ThenBy(c => c.Parameters).Take(10)
                .Select(c => new { architecture = Describe(c.Architecture), c.Parameters, c.Inference, c.Error, c.W }),
            bound_changes = r.BoundChanges.Select(c => new
            {
                what = c.What,
                larger = Describe(c.Larger), larger_error = c.LargerError,
                smaller = Describe(c.Smaller), smaller_error = c.SmallerError,
            }),
            monotonicity_violations = r.MonotonicityViolations.Take(20).Select(v => new
            {
                larger = Describe(v.Larger), larger_error = v.LargerError,
                smaller = Describe(v.Smaller), smaller_error = v.SmallerError,
            }),
        };
        CrashSafe.WriteText(path, JsonSerializer.Serialize(manifest, new JsonSerializerOptions { WriteIndented = true }));
    }

    /// <summary>
    /// Which i(ξ) the front and W used: the operation count, or latency measured on this machine with the fitted model's
    /// held-out median relative error (null when nothing was held out) and every measurement, held out or fitted on.
    /// </summary>
    private static object Inference(SearchOutcome outcome)
    {
        if (outcome.Measured is not { } measured) return new { kind = outcome.Request.Inference, unit = "operations" };
        var latency = measured.Latency;
        return new
        {
            kind = outcome.Request.Inference,
            unit = "seconds",
            engine = measured.Engine,
            identity = latency.Identity,
            held_out_median_relative_error = double.IsFinite(latency.HeldOutError) ? latency.HeldOutError : (double?)null,
            measuring_seconds = measured.Measuring.TotalSeconds,
            measurements = latency.Measurements.Select(m => new
            {
                architecture = Describe(m.Architecture),
                seconds = m.Seconds,
                predicted_seconds = latency.Model.Predict(m.Architecture),
                held_out = latency.HeldOut.Contains(m.Architecture),
            }),
        };
    }

    private static object Describe(Architecture ξ) => new { ξ.D, ξ.A, ξ.H, ξ.I };
}
