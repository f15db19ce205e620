using Ose.IO;
using Ose.Runs;
using ScottPlot;

namespace Ose.Plots;

/// <summary>
/// The picture of a search: error against parameter count (log scale) for every evaluated candidate, the ε-front
/// highlighted, the chosen architecture marked. Written as PNG and SVG into the search's run directory.
/// </summary>
public static class ParetoPlot
{
    private const int Width = 900, Height = 600;

    public const string PngFile = "front.png", SvgFile = "front.svg";

    public static void Write(SearchOutcome outcome)
    {
        var plot = Build(outcome);
        string folder = outcome.Request.OutputDirectory;
        CrashSafe.WriteFile(Path.Combine(folder, PngFile), temporary => plot.SavePng(temporary, Width, Height));
        CrashSafe.WriteFile(Path.Combine(folder, SvgFile), temporary => plot.SaveSvg(temporary, Width, Height));
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
        all.LegendText = $"evaluated ({evaluated.Length} of {candidates.Count})";
        var frontMarkers = plot.Add.Markers(front.Select(c => Math.Log10(c.Parameters)).ToArray(),
            front.Select(c => c.Error!.Value).ToArray(), MarkerShape.FilledSquare, 8, Colors.OrangeRed);
        frontMarkers.LegendText = $"ε-Pareto front, ε = {outcome.Request.Epsilon} ({front.Length} points)";
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
