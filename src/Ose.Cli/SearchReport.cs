using System.Globalization;
using Ose.Costs;
using Ose.Runs;
using Spectre.Console;

namespace Ose.Cli;

/// <summary>What <c>ose search</c> prints: the chosen architecture, the cost of finding it, and the ε-front.</summary>
public static class SearchReport
{
    public static void Print(SearchOutcome outcome)
    {
        var r = outcome.Result;
        var best = r.Best;
        var source = outcome.Source;
        var sourceParameters = ParameterCount.Of(source.Architecture, source.Shape);
        var sourceOperations = OperationCount.Of(source.Architecture, source.Shape, outcome.Request.SequenceLength);
        long effective = outcome.EffectiveParameters[r.BestIndex];

        var summary = new Table().Border(TableBorder.Rounded).AddColumns("", "");
        summary.Title = new TableTitle($"OSE {r.Searcher}: {source.Name} {source.Architecture} over space {outcome.SpaceName} ({r.Candidates.Count} candidates), ε = {Number(outcome.Request.Epsilon)}");
        summary.AddRow("chosen", Markup.Escape(best.Architecture.ToString()));
        summary.AddRow("parameters", $"{Millions(best.Parameters)} total ({Percent(best.Parameters / sourceParameters.Total)} of source), " +
            $"{Millions(effective)} effective ({Percent((double)effective / sourceParameters.Effective)})");
        summary.AddRow("inference", $"{best.Inference / 1e9:0.###} GFLOP per sequence of {outcome.Request.SequenceLength} " +
            $"({sourceOperations.Total / best.Inference:0.#}× fewer than source)");
        summary.AddRow("error", Markup.Escape($"{Number(best.Error!.Value)}  ({outcome.ErrorIdentity})"));
        summary.AddRow("W", Number(best.W!.Value));
        summary.AddRow("evaluations", $"{r.Evaluations} of {r.Candidates.Count} ({outcome.EvaluationsSpent} new, {outcome.EvaluationsReused} from the store)" +
            (r.EvaluationsToCertify is { } n ? $"; answer certified after {n}" : ""));
        summary.AddRow("certified gap", double.IsFinite(r.CertifiedGap)
            ? $"W* ≤ {Number(r.CertifiedGap)} × W(chosen)" : "none (some candidate is unbounded)");
        summary.AddRow("front", $"{outcome.Front.Count} point{(outcome.Front.Count == 1 ? "" : "s")}; covers {r.CoveredCount} of {r.Candidates.Count} candidates within 1+ε");
        summary.AddRow("stopped", $"{r.StopReason} after {r.Elapsed.TotalSeconds:0.##} s");
        AnsiConsole.Write(summary);

        if (r.MonotonicityViolations.Count > 0)
        {
            var v = r.MonotonicityViolations[0];
            AnsiConsole.MarkupLine(Markup.Escape(
                $"warning: {r.MonotonicityViolations.Count} pair(s) where a larger architecture has higher error " +
                $"(e.g. {v.Larger.ToShortString()}: {Number(v.LargerError)} > {v.Smaller.ToShortString()}: {Number(v.SmallerError)}); " +
                "the bound assumes error falls with capacity, so the certificate may not hold"));
        }

        var front = new Table().Border(TableBorder.Simple).AddColumns("D", "A", "H", "I", "params", "GFLOP", "error", "W");
        front.Title = new TableTitle($"ε-Pareto front over (params, inference, error), ε = {Number(outcome.Request.Epsilon)}");
        foreach (int k in outcome.Front)
        {
            var c = r.Candidates[k];
            front.AddRow(c.Architecture.D.ToString(CultureInfo.InvariantCulture), c.Architecture.A.ToString(CultureInfo.InvariantCulture),
                c.Architecture.H.ToString(CultureInfo.InvariantCulture), c.Architecture.I.ToString(CultureInfo.InvariantCulture),
                Millions(c.Parameters), (c.Inference / 1e9).ToString("0.###", CultureInfo.InvariantCulture),
                Number(c.Error!.Value), Number(c.W!.Value));
        }
        AnsiConsole.Write(front);
        AnsiConsole.WriteLine($"wrote candidates.csv, front.csv, search.json, front.png, front.svg to {outcome.Request.OutputDirectory}");
    }

    private static string Number(double x) => x.ToString("G5", CultureInfo.InvariantCulture);

    private static string Millions(double x) => (x / 1e6).ToString("0.##", CultureInfo.InvariantCulture) + "M";

    private static string Percent(double x) => (100 * x).ToString("0.#", CultureInfo.InvariantCulture) + "%";
}
