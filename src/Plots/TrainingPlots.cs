using Ose.IO;
using ScottPlot;

namespace Ose.Plots;

/// <summary>Loss curves over training steps.</summary>
public static class TrainingPlots
{
    /// <summary>One line per curve, its losses at steps 1, 2, …</summary>
    public static void WriteLossCurves(string pngPath, string title, string yLabel, IReadOnlyList<(string Label, IReadOnlyList<double> Losses)> curves)
    {
        var plot = new Plot();
        foreach (var (label, losses) in curves)
        {
            var line = plot.Add.ScatterLine(Enumerable.Range(1, losses.Count).Select(s => (double)s).ToArray(), losses.ToArray());
            line.LegendText = label;
        }
        plot.Title(title);
        plot.XLabel("step");
        plot.YLabel(yLabel);
        plot.ShowLegend(Alignment.UpperRight);
        CrashSafe.WriteFile(pngPath, temporary => plot.SavePng(temporary, 700, 450));
    }

    /// <summary>A held-out score measured at some steps, as a line with markers.</summary>
    public static void WriteHeldOutCurve(string pngPath, string title, string yLabel, IReadOnlyList<(int Step, double Value)> points)
    {
        var plot = new Plot();
        plot.Add.Scatter(points.Select(p => (double)p.Step).ToArray(), points.Select(p => p.Value).ToArray());
        plot.Title(title);
        plot.XLabel("step");
        plot.YLabel(yLabel);
        CrashSafe.WriteFile(pngPath, temporary => plot.SavePng(temporary, 700, 450));
    }
}
