namespace Ose.Tasks;

/// <summary>
/// The task metrics, from a confusion of predicted against gold labels. F1 is the positive class's (label 1) for two
/// classes and the macro average otherwise; Matthews is Gorodkin's multi-class R_K, the usual MCC for two classes.
/// </summary>
public static class TaskMetrics
{
    public static double Score(TaskMetric metric, IReadOnlyList<int> predicted, IReadOnlyList<int> gold, int classes) => metric switch
    {
        TaskMetric.Accuracy => Accuracy(predicted, gold),
        TaskMetric.F1 => classes == 2 ? F1(predicted, gold, positive: 1) : Enumerable.Range(0, classes).Average(c => F1(predicted, gold, c)),
        TaskMetric.Matthews => Matthews(predicted, gold, classes),
        _ => throw new ArgumentOutOfRangeException(nameof(metric)),
    };

    public static double Accuracy(IReadOnlyList<int> predicted, IReadOnlyList<int> gold)
    {
        Check(predicted, gold);
        return (double)predicted.Zip(gold).Count(p => p.First == p.Second) / gold.Count;
    }

    public static double F1(IReadOnlyList<int> predicted, IReadOnlyList<int> gold, int positive)
    {
        Check(predicted, gold);
        int tp = 0, fp = 0, fn = 0;
        for (int k = 0; k < gold.Count; k++)
        {
            if (predicted[k] == positive && gold[k] == positive) tp++;
            else if (predicted[k] == positive) fp++;
            else if (gold[k] == positive) fn++;
        }
        return tp == 0 ? 0 : 2.0 * tp / (2.0 * tp + fp + fn);
    }

    /// <summary>(c·s − Σ p_k t_k) / √((s² − Σ p_k²)(s² − Σ t_k²)); 0 when a side is constant.</summary>
    public static double Matthews(IReadOnlyList<int> predicted, IReadOnlyList<int> gold, int classes)
    {
        Check(predicted, gold);
        var p = new double[classes];
        var t = new double[classes];
        double c = 0, s = gold.Count;
        for (int k = 0; k < gold.Count; k++)
        {
            p[predicted[k]]++;
            t[gold[k]]++;
            if (predicted[k] == gold[k]) c++;
        }
        double numerator = c * s - p.Zip(t).Sum(x => x.First * x.Second);
        double denominator = Math.Sqrt((s * s - p.Sum(x => x * x)) * (s * s - t.Sum(x => x * x)));
        return denominator == 0 ? 0 : numerator / denominator;
    }

    private static void Check(IReadOnlyList<int> predicted, IReadOnlyList<int> gold)
    {
        if (predicted.Count != gold.Count) throw new ArgumentException($"{predicted.Count} predictions for {gold.Count} gold labels");
        if (gold.Count == 0) throw new ArgumentException("no examples to score");
    }
}
