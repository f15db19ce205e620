using System.Globalization;
using System.Text;

namespace Ose.Agora;

/// <summary>The per-round report of an Agora run as CSV (the plot is in Ose.Plots).</summary>
public static class AgoraReport
{
    public static string RoundsCsv(IEnumerable<AgoraRound> rounds)
    {
        var csv = new StringBuilder("round,theta_size,best_theta,dev_score,test_score,selection_score,misclassified,generated,kept,train_size,steps,theta_left\n");
        foreach (var r in rounds)
            csv.Append(CultureInfo.InvariantCulture,
                $"{r.Round},{r.ΘAtStart.Length},{r.BestΘ},{r.DevScore:R},{Optional(r.TestScore)},{Optional(r.SelectionScore)},{r.Misclassified},{r.Generated},{r.Kept},{r.TrainSize},{r.Steps},{r.ΘLeft.Length}\n");
        return csv.ToString();
    }

    private static string Optional(double? value) => value?.ToString("R", CultureInfo.InvariantCulture) ?? "";
}
