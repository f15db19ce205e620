using System.Globalization;
using Ose.Agora;
using Ose.Agora.Text;
using Ose.IO;
using ScottPlot;

namespace Ose.Plots;

/// <summary>The plots of Agora: the metric by round, plain against Agora per training size, and the torus demo's training sets.</summary>
public static class AgoraPlots
{
    /// <summary>The dev (and test) metric of the best student of each round.</summary>
    public static void WriteRounds(string pngPath, IReadOnlyList<AgoraRound> rounds, string metric)
    {
        var plot = new Plot();
        double[] x = rounds.Select(r => (double)r.Round).ToArray();
        var dev = plot.Add.Scatter(x, rounds.Select(r => r.DevScore).ToArray());
        dev.LegendText = $"dev {metric}";
        if (rounds.All(r => r.TestScore is not null))
        {
            var test = plot.Add.Scatter(x, rounds.Select(r => r.TestScore!.Value).ToArray());
            test.LegendText = $"test {metric}";
        }
        plot.Title("Agora: best student per round");
        plot.XLabel("round");
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericFixedInterval(1);
        plot.YLabel(metric);
        plot.ShowLegend(Alignment.LowerRight);
        CrashSafe.WriteFile(pngPath, temporary => plot.SavePng(temporary, 700, 450));
    }

    /// <summary>Test scores of every cell, plain, Agora and the random-seed ablation side by side per training size, with each arm's mean as a bar.</summary>
    public static void WriteComparison(string pngPath, IReadOnlyList<ComparisonCell> cells, string task, string metric)
    {
        var plot = new ScottPlot.Plot();
        var sizes = cells.Select(c => c.TrainSize).Distinct().Order().ToArray();
        foreach (var (name, offset, score) in new (string, double, Func<ComparisonCell, double>)[]
                     { ("plain fine-tuning", -0.27, c => c.PlainTest), ("Agora", 0, c => c.AgoraTest), ("random seeds", 0.27, c => c.RandomTest) })
        {
            var means = plot.Add.Bars(sizes.Select((size, j) => j + offset).ToArray(),
                sizes.Select(size => cells.Where(c => c.TrainSize == size).Average(score)).ToArray());
            means.LegendText = $"{name} (mean)";
            foreach (var bar in means.Bars) bar.Size = 0.25;
            var points = plot.Add.ScatterPoints(
                cells.Select(c => Array.IndexOf(sizes, c.TrainSize) + offset).ToArray(), cells.Select(score).ToArray());
            points.Color = ScottPlot.Colors.Black;
            points.MarkerSize = 6;
        }
        plot.Axes.Bottom.SetTicks(sizes.Select((_, j) => (double)j).ToArray(), sizes.Select(size => $"{size} training examples").ToArray());
        plot.Axes.SetLimitsY(0, 1);
        plot.Title($"{task}: test {metric} at equal compute (dots: seeds)");
        plot.ShowLegend(ScottPlot.Alignment.LowerRight);
        CrashSafe.WriteFile(pngPath, temporary => plot.SavePng(temporary, 700, 450));
    }

    /// <summary>
    /// Each pooled group's mean paired difference with its 95% interval, Agora against plain fine-tuning and against the
    /// random-seed ablation, beside the lines at 0 and at the +3-point target.
    /// </summary>
    public static void WritePooled(string pngPath, IReadOnlyList<PooledGroup> groups, double targetPoints)
    {
        var plot = new Plot();
        var shown = groups.Where(g => g.AgoraMinusPlain is not null).ToArray();
        foreach (var (name, offset, difference, colour) in new (string, double, Func<PooledGroup, PairedDifference>, Color)[]
                     { ("Agora − plain", -0.12, g => g.AgoraMinusPlain!, Colors.DarkOrange), ("Agora − random seeds", 0.12, g => g.AgoraMinusRandom!, Colors.SteelBlue) })
        {
            double[] x = shown.Select((_, j) => j + offset).ToArray();
            var d = shown.Select(difference).ToArray();
            var bars = plot.Add.ErrorBar(x, d.Select(p => 100 * p.Mean).ToArray(), d.Select(p => 100 * (p.High - p.Mean)).ToArray());
            bars.Color = colour;
            var means = plot.Add.Markers(x, d.Select(p => 100 * p.Mean).ToArray(), MarkerShape.FilledCircle, 8, colour);
            means.LegendText = $"{name} (95% interval)";
        }
        plot.Add.HorizontalLine(0, 1, Colors.Black);
        var target = plot.Add.HorizontalLine(targetPoints, 1, Colors.Gray, LinePattern.Dashed);
        target.LegendText = string.Create(CultureInfo.InvariantCulture, $"target +{targetPoints:0.#}");
        plot.Axes.Bottom.SetTicks(shown.Select((_, j) => (double)j).ToArray(), shown.Select(g => $"{g.Name} ({g.Cells.Length})").ToArray());
        plot.Title("Agora: paired test differences at equal compute (pairs)");
        plot.YLabel("difference, points");
        plot.ShowLegend(Alignment.UpperRight);
        CrashSafe.WriteFile(pngPath, temporary => plot.SavePng(temporary, 800, 450));
    }

    /// <summary>The training set a round's students saw, from above: the task's points as dots, generated ones as crosses.</summary>
    public static void WriteTorusRound(string pngPath, AgoraRound round, IReadOnlyList<LabelledPoint<float[], int>> train)
    {
        var plot = new Plot();
        Color[] colours = [Colors.SteelBlue, Colors.DarkOrange];
        foreach (bool generated in new[] { false, true })
            for (int label = 0; label < 2; label++)
            {
                var points = train.Where(p => p.Label == label && (p.Origin is not null) == generated).ToArray();
                if (points.Length == 0) continue;
                var markers = plot.Add.Markers(points.Select(p => (double)p.Point[0]).ToArray(), points.Select(p => (double)p.Point[1]).ToArray(),
                    generated ? MarkerShape.Cross : MarkerShape.FilledCircle, generated ? 6 : 7, colours[label]);
                markers.LegendText = $"class {label}, {(generated ? "generated" : "task")} ({points.Length})";
            }
        plot.Axes.SetLimits(-3.2, 3.2, -3.2, 3.2);
        plot.Axes.SquareUnits();
        plot.Title(string.Create(CultureInfo.InvariantCulture, $"round {round.Round}: {round.TrainSize} training points, dev accuracy {round.DevScore:F3}"));
        plot.ShowLegend(Alignment.UpperRight);
        CrashSafe.WriteFile(pngPath, temporary => plot.SavePng(temporary, 600, 600));
    }
}
