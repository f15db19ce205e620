using System.Globalization;
using System.Text;
using Ose.Reporting;
using ScottPlot;

namespace Ose.Agora;

/// <summary>The per-round report of an Agora run: a CSV and a plot of the dev (and test) metric by round.</summary>
public static class AgoraReport
{
    public static string RoundsCsv(IEnumerable<AgoraRound> rounds)
    {
        var csv = new StringBuilder("round,theta_size,best_theta,dev_score,test_score,misclassified,generated,kept,train_size,steps,theta_left\n");
        foreach (var r in rounds)
            csv.Append(CultureInfo.InvariantCulture,
                $"{r.Round},{r.ΘAtStart.Length},{r.BestΘ},{r.DevScore:R},{(r.TestScore is { } t ? t.ToString("R", CultureInfo.InvariantCulture) : "")},{r.Misclassified},{r.Generated},{r.Kept},{r.TrainSize},{r.Steps},{r.ΘLeft.Length}\n");
        return csv.ToString();
    }

    public static void WritePlot(string pngPath, IReadOnlyList<AgoraRound> rounds, string metric)
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
        AtomicFile.Write(pngPath, temporary => plot.SavePng(temporary, 700, 450));
    }
}
