using Ose.IO;
using Ose.Pareto;
using Ose.Runs;
using ScottPlot;

namespace Ose.Plots;

/// <summary>
/// The pictures of a search, as PNG and SVG in its run directory. The front: error against parameter count (log scale)
/// for every evaluated candidate (those off the ε-front are dominated), the ε-front highlighted, the chosen
/// architecture marked, and any candidate the front does not cover at its error's lower bound. The hypervolume of the
/// front over evaluations (as Optuna plots it): how much of the objective space the front had claimed after n
/// evaluations, which shows when more evaluations stopped changing the answer.
/// </summary>
public static class ParetoPlot
{
    private const int Width = 900, Height = 600;

    public const string PngFile = "front.png", SvgFile = "front.svg";

    public const string HypervolumePngFile = "hypervolume.png", HypervolumeSvgFile = "hypervolume.svg";

    public static void Write(SearchOutcome outcome)
    {
        string folder = outcome.Request.OutputDirectory;
        Save(Build(outcome), Path.Combine(folder, PngFile), Path.Combine(folder, SvgFile));
        Save(BuildHypervolume(outcome), Path.Combine(folder, HypervolumePngFile), Path.Combine(folder, HypervolumeSvgFile));
    }

    private static void Save(Plot plot, string png, string svg)
    {
        CrashSafe.WriteFile(png, temporary => plot.SavePng(temporary, Width, Height));
        CrashSafe.WriteFile(svg, temporary => plot.SaveSvg(temporary, Width, Height));
    }

    /// <summary>Evaluations in the order they were made (repeats of a candidate left out), against the front's hypervolume.</summary>
    private static Plot BuildHypervolume(SearchOutcome outcome)
    {
        var candidates = outcome.Result.Candidates;
        var inOrder = outcome.Result.History.Where(e => e.Proposal.Repeat == 0)
            .Select(e => candidates[e.Proposal.Candidate])
            .Select(c => new ObjectivePoint(c.Parameters, c.Inference, c.Error!.Value)).ToArray();
        var curve = Hypervolume.OverEvaluations(inOrder, outcome.SourceParameters, outcome.SourceInference);
        var plot = new Plot();
        if (curve.Count > 0)
        {
            // As a share of the reference box (the source's p and i, 1.1 × the largest error): a number that reads.
            double box = outcome.SourceParameters * outcome.SourceInference * 1.1 * inOrder.Max(x => x.E);
            var line = plot.Add.Scatter(curve.Select(c => (double)c.Evaluations).ToArray(), curve.Select(c => c.Volume / box).ToArray());
            line.LegendText = "hypervolume of the front; box: the source's p and i, 1.1 × the largest error";
            plot.ShowLegend(Alignment.LowerRight);
        }
        plot.Title($"Front over evaluations: {outcome.Source.Name}, space {outcome.SpaceName} ({outcome.Result.Searcher})");
        plot.XLabel("evaluations");
        plot.YLabel("hypervolume (share of the reference box)");
        return plot;
    }

    private static Plot Build(SearchOutcome outcome)
    {
        var candidates = outcome.Result.Candidates;
        var evaluated = candidates.Where(c => c.Error is not null).ToArray();
        var front = outcome.Front.Select(k => candidates[k]).OrderBy(c => c.Parameters).ToArray();
        var best = outcome.Result.Best;

        var plot = new Plot();
        var all = plot.Add.Markers(evaluated.Select(c => Math.Log10(c.Parameters)).ToArray(),
            evaluated.Select(c => c.Error!.Value).ToArray(), MarkerShape.FilledCircle, 5, Colors.Gray.WithAlpha(0.6));
        all.LegendText = $"evaluated ({evaluated.Length} of {candidates.Count}; off the front: dominated)";
        var frontMarkers = plot.Add.Markers(front.Select(c => Math.Log10(c.Parameters)).ToArray(),
            front.Select(c => c.Error!.Value).ToArray(), MarkerShape.FilledSquare, 8, Colors.OrangeRed);
        frontMarkers.LegendText = $"ε-Pareto front, ε = {outcome.Request.Epsilon} ({front.Length} points)";
        var uncovered = candidates.Where(c => !c.Covered && c.Error is null && c.ErrorLowerBound > 0).ToArray();
        if (uncovered.Length > 0)
        {
            var open = plot.Add.Markers(uncovered.Select(c => Math.Log10(c.Parameters)).ToArray(),
                uncovered.Select(c => c.ErrorLowerBound!.Value).ToArray(), MarkerShape.OpenCircle, 7, Colors.Purple);
            open.LegendText = $"not covered by the front ({uncovered.Length}), at their error's lower bound";
        }
        var chosen = plot.Add.Marker(Math.Log10(best.Parameters), best.Error!.Value, MarkerShape.FilledDiamond, 14, Colors.Blue);
        chosen.LegendText = $"argmax W: {best.Architecture}";

        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
        {
            LabelFormatter = log10 => $"{Math.Pow(10, log10) / 1e6:0.#}M",
        };
        plot.Title($"OSE search on {outcome.Source.Name}, space {outcome.SpaceName} ({outcome.Result.Searcher})");
        plot.XLabel("parameters (log scale)");
        // A training-based error's identity lists every setting (search.json has it): the axis names only its kind.
        string identity = outcome.ErrorIdentity;
        plot.YLabel($"error ({(identity.Length <= 40 ? identity : identity.Split(':')[0] + ", see search.json")})");
        plot.ShowLegend(Alignment.UpperRight);
        return plot;
    }
}
