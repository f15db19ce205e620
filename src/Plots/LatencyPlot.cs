using Ose.IO;
using Ose.Runs;
using ScottPlot;

namespace Ose.Plots;

/// <summary>
/// For a search with a measured inference cost (issue 16): the latency each measured candidate took against the latency
/// the fitted model predicts for it, both on log scales, the candidates the model was not fitted on marked, and the
/// line where prediction equals measurement. Points near the line are what lets the model stand in for the rest.
/// </summary>
public static class LatencyPlot
{
    private const int Width = 900, Height = 600;

    public const string PngFile = "latency.png", SvgFile = "latency.svg";

    /// <summary>Writes the plot next to front.png; a search with the analytic cost has none.</summary>
    public static void Write(SearchOutcome outcome)
    {
        if (outcome.Measured is not { } measured) return;
        var plot = Build(outcome, measured);
        string folder = outcome.Request.OutputDirectory;
        CrashSafe.WriteFile(Path.Combine(folder, PngFile), temporary => plot.SavePng(temporary, Width, Height));
        CrashSafe.WriteFile(Path.Combine(folder, SvgFile), temporary => plot.SaveSvg(temporary, Width, Height));
    }

    private static Plot Build(SearchOutcome outcome, MeasuredInference measured)
    {
        var latency = measured.Latency;
        // Milliseconds, log10: the sample spans orders of magnitude. A prediction at or below zero has no logarithm and is drawn at the floor.
        double Log(double seconds) => Math.Log10(Math.Max(seconds, 1e-7) * 1e3);
        var points = latency.Measurements.Select(m => (m.Architecture, Measured: Log(m.Seconds), Predicted: Log(latency.Model.Predict(m.Architecture)))).ToArray();
        var fitted = points.Where(p => !latency.HeldOut.Contains(p.Architecture)).ToArray();
        var heldOut = points.Where(p => latency.HeldOut.Contains(p.Architecture)).ToArray();

        var plot = new Plot();
        double low = points.Min(p => Math.Min(p.Measured, p.Predicted)), high = points.Max(p => Math.Max(p.Measured, p.Predicted));
        var diagonal = plot.Add.Line(low, low, high, high);
        diagonal.Color = Colors.Gray;
        diagonal.LegendText = "predicted = measured";
        var fit = plot.Add.Markers(fitted.Select(p => p.Measured).ToArray(), fitted.Select(p => p.Predicted).ToArray(),
            MarkerShape.FilledCircle, 7, Colors.SteelBlue);
        fit.LegendText = $"fitted on ({fitted.Length})";
        if (heldOut.Length > 0)
        {
            var test = plot.Add.Markers(heldOut.Select(p => p.Measured).ToArray(), heldOut.Select(p => p.Predicted).ToArray(),
                MarkerShape.FilledDiamond, 11, Colors.OrangeRed);
            test.LegendText = $"held out ({heldOut.Length}): median relative error {100 * latency.HeldOutError:0.#}%";
        }
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { LabelFormatter = log10 => $"{Math.Pow(10, log10):G3}" };
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { LabelFormatter = log10 => $"{Math.Pow(10, log10):G3}" };
        plot.Title($"Latency in {measured.Engine}, batch 1, L = {outcome.Request.SequenceLength}: {outcome.Source.Name}, space {outcome.SpaceName}");
        plot.XLabel("measured (ms, log scale)");
        plot.YLabel("predicted by the fitted model (ms, log scale)");
        plot.ShowLegend(Alignment.UpperLeft);
        return plot;
    }
}
