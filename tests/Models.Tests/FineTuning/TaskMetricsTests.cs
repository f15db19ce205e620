using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Ose.Models.FineTuning;
using Xunit;

namespace Ose.Models.Tests.FineTuning;

public sealed class TaskMetricsTests
{
    // gold      1 1 1 1 0 0 0 0 0 0
    // predicted 1 1 1 0 1 1 0 0 0 0    → TP 3, FN 1, FP 2, TN 4
    private static readonly int[] Gold = [1, 1, 1, 1, 0, 0, 0, 0, 0, 0];
    private static readonly int[] Predicted = [1, 1, 1, 0, 1, 1, 0, 0, 0, 0];

    [Fact]
    public void Binary_scores_match_a_hand_computed_confusion_matrix()
    {
        Assert.Equal(0.7, TaskMetrics.Accuracy(Predicted, Gold), 12);                        // (3 + 4) / 10
        Assert.Equal(6.0 / 9.0, TaskMetrics.F1(Predicted, Gold, positive: 1), 12);           // 2·3 / (2·3 + 2 + 1)
        Assert.Equal(10.0 / Math.Sqrt(5 * 4 * 6 * 5), TaskMetrics.Matthews(Predicted, Gold, 2), 12); // (3·4 − 2·1) / √(5·4·6·5)
    }

    [Fact]
    public void Three_class_Matthews_is_Gorodkins_RK_computed_by_hand()
    {
        // gold 0 0 1 1 2 2, predicted 0 1 1 1 2 0: c = 4 right of s = 6; predicted counts p = (2, 3, 1), gold counts t = (2, 2, 2).
        // R_K = (c·s − Σ p_k t_k) / √((s² − Σ p_k²)(s² − Σ t_k²)) = (24 − 12) / √((36 − 14)(36 − 12)) = 12 / √528.
        int[] gold = [0, 0, 1, 1, 2, 2], predicted = [0, 1, 1, 1, 2, 0];
        Assert.Equal(12 / Math.Sqrt(528), TaskMetrics.Matthews(predicted, gold, 3), 12);
    }

    [Fact]
    public void Macro_F1_averages_the_per_class_F1_of_every_class()
    {
        // class 0: TP 1, FP 1, FN 1 → 1/2; class 1: TP 2, FP 1, FN 0 → 4/5; class 2: TP 1, FP 0, FN 1 → 2/3.
        int[] gold = [0, 0, 1, 1, 2, 2], predicted = [0, 1, 1, 1, 2, 0];
        Assert.Equal((0.5 + 0.8 + 2.0 / 3.0) / 3, TaskMetrics.Score(TaskMetric.F1, predicted, gold, 3), 12);
    }

    [Fact]
    public void A_constant_prediction_has_Matthews_zero_not_NaN_and_no_positive_F1()
    {
        int[] constant = new int[Gold.Length];
        Assert.Equal(0, TaskMetrics.Matthews(constant, Gold, 2));
        Assert.Equal(0, TaskMetrics.F1(constant, Gold, positive: 1));
        Assert.Equal(0.6, TaskMetrics.Accuracy(constant, Gold), 12);
    }

    [Fact]
    public void Scoring_lists_of_different_lengths_or_no_examples_is_refused()
    {
        Assert.Throws<ArgumentException>(() => TaskMetrics.Accuracy([1, 0], [1]));
        Assert.Throws<ArgumentException>(() => TaskMetrics.Matthews([], [], 2));
    }

    private static Arbitrary<(int[] Predicted, int[] Gold)> Labellings() =>
        Gen.Choose(2, 40).SelectMany(n => Gen.Choose(0, 2).ArrayOf(n).SelectMany(p => Gen.Choose(0, 2).ArrayOf(n).Select(g => (p, g))))
            .ToArbitrary();

    [Property]
    public Property Matthews_lies_in_minus_one_to_one_and_is_one_for_perfect_predictions_of_two_or_more_classes() =>
        Prop.ForAll(Labellings(), pair =>
        {
            double r = TaskMetrics.Matthews(pair.Predicted, pair.Gold, 3);
            bool perfect = TaskMetrics.Matthews(pair.Gold, pair.Gold, 3) is var self && (pair.Gold.Distinct().Count() < 2 ? self == 0 : Math.Abs(self - 1) < 1e-12);
            return r >= -1 - 1e-12 && r <= 1 + 1e-12 && perfect;
        });

    [Property]
    public Property Accuracy_and_Matthews_are_symmetric_in_predicted_and_gold() =>
        Prop.ForAll(Labellings(), pair =>
            TaskMetrics.Accuracy(pair.Predicted, pair.Gold) == TaskMetrics.Accuracy(pair.Gold, pair.Predicted)
            && Math.Abs(TaskMetrics.Matthews(pair.Predicted, pair.Gold, 3) - TaskMetrics.Matthews(pair.Gold, pair.Predicted, 3)) < 1e-12);
}
