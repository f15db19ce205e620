using System.Globalization;
using Ose.Runs;
using Ose.Search;
using Spectre.Console;

namespace Ose.Cli;

/// <summary>What <c>ose search</c> prints: the source, the chosen architecture, the certificate, the cost of finding it, and the ε-front.</summary>
public static class SearchReport
{
    private const int NamedLargerCandidates = 5;
    private const int RankedWithoutCertificate = 5;

    public static void Print(SearchOutcome outcome)
    {
        var r = outcome.Result;
        var best = r.Best;
        var source = outcome.Source;
        int sequenceLength = outcome.Request.SequenceLength;
        long effective = outcome.EffectiveParameters[r.BestIndex];
        long sourceEffective = Costs.ParameterCount.Of(source.Architecture, source.Shape).Effective;

        if (outcome.LargerThanSource.Count > 0)
            Console.WriteLine($"warning: {outcome.LargerThanSource.Count} candidate(s) of space {outcome.SpaceName} are larger than the source " +
                $"in parameters or operations ({string.Join(", ", outcome.LargerThanSource.Take(NamedLargerCandidates).Select(ξ => ξ.ToShortString()))}" +
                $"{(outcome.LargerThanSource.Count > NamedLargerCandidates ? ", …" : "")}); W's maximum point T takes the largest of them");

        var summary = new Table().Border(TableBorder.Rounded).AddColumns("", "");
        summary.Title = new TableTitle(Markup.Escape($"OSE {r.Searcher}: {source.Name} over space {outcome.SpaceName} ({r.Candidates.Count} candidates), ε = {Number(outcome.Request.Epsilon)}"));
        bool measured = outcome.Measured is not null;
        Row(summary, "source", $"{source.Architecture}: {Millions(outcome.SourceParameters)} parameters, " +
            $"{Cost(measured, outcome.SourceInference)} per sequence of {sequenceLength}");
        Row(summary, "chosen", best.Architecture + (r.Certificate.Kind == CertificateKind.None ? "  (best so far, uncertified)" : ""));
        Row(summary, "parameters", $"{Millions(best.Parameters)} total ({Percent(best.Parameters / outcome.SourceParameters)} of source), " +
            $"{Millions(effective)} effective ({Percent((double)effective / sourceEffective)})");
        Row(summary, "inference", $"{Cost(measured, best.Inference)} per sequence of {sequenceLength} " +
            $"({outcome.SourceInference / best.Inference:0.#}× {(measured ? "faster" : "fewer")} than source)");
        if (outcome.Measured is { } m)
            Row(summary, "latency", $"{m.Engine} at batch 1, {m.Latency.Measurements.Count} candidates measured in {m.Measuring.TotalSeconds:0.#} s, " +
                $"the rest predicted; held-out median relative error " +
                (double.IsFinite(m.Latency.HeldOutError) ? Percent(m.Latency.HeldOutError) : "none (nothing held out)") + " (target ≤ 10%)");
        Row(summary, "error", $"{Number(best.Error!.Value)}  ({outcome.ErrorIdentity})");
        Row(summary, "W", Number(best.W!.Value));
        int repeats = r.Evaluations - r.Evaluated;
        Row(summary, "evaluations", $"{r.Evaluated} of {r.Candidates.Count} candidates" + (repeats > 0 ? $" and {repeats} repeats" : "") +
            $" ({outcome.EvaluationsSpent} new, {outcome.EvaluationsReused} from the store)" +
            (r.EvaluationsToCertify is { } n && r.Certificate.Kind == CertificateKind.Bounds ? $"; answer certified after {n}" : ""));
        if (r.BoundChanges.Count > 0)
            Row(summary, "bound changes", string.Join("; ", r.BoundChanges.Select(c =>
                $"{c.What} ({c.Larger.ToShortString()}: {Number(c.LargerError)} > {c.Smaller.ToShortString()}: {Number(c.SmallerError)})")));
        if (r.MonotonicityViolations.Count > 0)
        {
            var v = r.MonotonicityViolations[0];
            Row(summary, "rises with size", $"{r.MonotonicityViolations.Count} evaluated candidate(s) measured a lower error than a larger one " +
                $"(same A), e.g. {v.Larger.ToShortString()}: {Number(v.LargerError)} > {v.Smaller.ToShortString()}: {Number(v.SmallerError)}");
        }
        Row(summary, "front", $"{outcome.Front.Count} point{(outcome.Front.Count == 1 ? "" : "s")}; covers {r.CoveredCount} of {r.Candidates.Count} candidates within 1+ε");
        Row(summary, "stopped", $"{r.StopReason} after {r.Elapsed.TotalSeconds:0.##} s");
        AnsiConsole.Write(summary);
        // The promise of the search, on one line of its own so that it is never wrapped or cut.
        Console.WriteLine($"certificate: {r.Certificate.Describe()}");

        if (r.Certificate.Kind == CertificateKind.None)
            Write("best so far by W (uncertified)", r.Candidates.Where(c => c.W is not null).OrderByDescending(c => c.W)
                .ThenBy(c => c.Parameters).Take(RankedWithoutCertificate), measured);
        Write($"ε-Pareto front over (params, inference, error), ε = {Number(outcome.Request.Epsilon)}", outcome.Front.Select(k => r.Candidates[k]), measured);
        AnsiConsole.WriteLine($"wrote candidates.csv, front.csv, search.json, front.png, front.svg, hypervolume.png, hypervolume.svg" +
            $"{(measured ? ", latency.png, latency.svg" : "")} to {outcome.Request.OutputDirectory}");
    }

    private static void Write(string title, IEnumerable<CandidateOutcome> rows, bool measured)
    {
        var table = new Table().Border(TableBorder.Simple).AddColumns("D", "A", "H", "I", "params", measured ? "ms" : "GFLOP", "error", "W");
        table.Title = new TableTitle(Markup.Escape(title));
        foreach (var c in rows)
            table.AddRow(c.Architecture.D.ToString(CultureInfo.InvariantCulture), c.Architecture.A.ToString(CultureInfo.InvariantCulture),
                c.Architecture.H.ToString(CultureInfo.InvariantCulture), c.Architecture.I.ToString(CultureInfo.InvariantCulture),
                Millions(c.Parameters), measured ? Milli(c.Inference) : Giga(c.Inference), Number(c.Error!.Value), Number(c.W!.Value));
        AnsiConsole.Write(table);
    }

    private static void Row(Table table, string name, string text) => table.AddRow(name, Markup.Escape(text));

    private static string Number(double x) => x.ToString("G5", CultureInfo.InvariantCulture);

    private static string Millions(double x) => (x / 1e6).ToString("0.##", CultureInfo.InvariantCulture) + "M";

    private static string Giga(double x) => (x / 1e9).ToString("0.###", CultureInfo.InvariantCulture);

    private static string Milli(double seconds) => (seconds * 1e3).ToString("0.##", CultureInfo.InvariantCulture);

    /// <summary>An inference cost in its unit: seconds measured (shown in ms) or operations counted (shown in GFLOP).</summary>
    private static string Cost(bool measured, double x) => measured ? $"{Milli(x)} ms" : $"{Giga(x)} GFLOP";

    private static string Percent(double x) => (100 * x).ToString("0.#", CultureInfo.InvariantCulture) + "%";
}
