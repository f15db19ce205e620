namespace Ose.Tasks.Tests;

public sealed class TaskMetricsTests
{
    // A binary example, gold against predicted:
    //   k     0  1  2  3  4  5  6  7
    //   gold  1  0  0  1  1  0  1  0
    //   pred  1  0  1  1  0  0  1  1
    //         TP TN FP TP FN TN TP FP   → TP = 3, TN = 2, FP = 2, FN = 1.
    private static readonly int[] BinaryGold = [1, 0, 0, 1, 1, 0, 1, 0];
    private static readonly int[] BinaryPredicted = [1, 0, 1, 1, 0, 0, 1, 1];

    // A three-class example:
    //   k     0  1  2  3  4  5
    //   gold  0  0  1  1  2  2
    //   pred  0  1  1  1  2  0
    private static readonly int[] ThreeGold = [0, 0, 1, 1, 2, 2];
    private static readonly int[] ThreePredicted = [0, 1, 1, 1, 2, 0];

    private const double Tolerance = 1e-12;

    [Fact]
    public void Accuracy_is_the_share_of_predictions_equal_to_gold()
    {
        // TP + TN = 5 of 8.
        Assert.Equal(5.0 / 8, TaskMetrics.Accuracy(BinaryPredicted, BinaryGold), Tolerance);
        Assert.Equal(5.0 / 8, TaskMetrics.Score(TaskMetric.Accuracy, BinaryPredicted, BinaryGold, 2), Tolerance);
    }

    [Fact]
    public void Binary_f1_is_that_of_label_1_not_the_macro_average()
    {
        // Label 1: 2·TP / (2·TP + FP + FN) = 6 / (6 + 2 + 1) = 2/3.
        // Label 0: TP = 2 (the TNs), FP = 1 (the FN), FN = 2 (the FPs): 4 / (4 + 1 + 2) = 4/7. Macro would be 13/21.
        Assert.Equal(2.0 / 3, TaskMetrics.F1(BinaryPredicted, BinaryGold, positive: 1), Tolerance);
        Assert.Equal(4.0 / 7, TaskMetrics.F1(BinaryPredicted, BinaryGold, positive: 0), Tolerance);
        Assert.Equal(2.0 / 3, TaskMetrics.Score(TaskMetric.F1, BinaryPredicted, BinaryGold, 2), Tolerance);
    }

    [Fact]
    public void F1_with_more_than_two_classes_is_the_macro_average()
    {
        // Class 0: TP = 1 (k 0), FP = 1 (k 5), FN = 1 (k 1): 2 / (2 + 1 + 1) = 1/2.
        // Class 1: TP = 2 (k 2, 3), FP = 1 (k 1), FN = 0:   4 / (4 + 1)     = 4/5.
        // Class 2: TP = 1 (k 4), FP = 0, FN = 1 (k 5):       2 / (2 + 1)     = 2/3.
        // Mean: (15 + 24 + 20) / 30 / 3 = 59/90.
        Assert.Equal(59.0 / 90, TaskMetrics.Score(TaskMetric.F1, ThreePredicted, ThreeGold, 3), Tolerance);
    }

    [Fact]
    public void F1_is_0_when_the_positive_class_is_never_predicted_correctly()
    {
        Assert.Equal(0, TaskMetrics.F1([0, 0, 0], [1, 0, 1], positive: 1));
        Assert.Equal(0, TaskMetrics.F1([0, 0, 0], [0, 0, 0], positive: 1));
    }

    [Fact]
    public void Binary_matthews_is_the_correlation_of_the_2x2_confusion_matrix()
    {
        // (TP·TN − FP·FN) / √((TP+FP)(TP+FN)(TN+FP)(TN+FN)) = (3·2 − 2·1) / √(5·4·4·3) = 4 / √240.
        Assert.Equal(4 / Math.Sqrt(240), TaskMetrics.Matthews(BinaryPredicted, BinaryGold, 2), Tolerance);
        Assert.Equal(4 / Math.Sqrt(240), TaskMetrics.Score(TaskMetric.Matthews, BinaryPredicted, BinaryGold, 2), Tolerance);
    }

    [Fact]
    public void Multiclass_matthews_is_gorodkins_r_k()
    {
        // s = 6 examples, c = 4 correct (k 0, 2, 3, 4); predicted counts p = (2, 3, 1), gold counts t = (2, 2, 2).
        // (c·s − Σ p_k t_k) / √((s² − Σ p_k²)(s² − Σ t_k²)) = (24 − (4 + 6 + 2)) / √((36 − 14)(36 − 12)) = 12 / √528.
        Assert.Equal(12 / Math.Sqrt(528), TaskMetrics.Matthews(ThreePredicted, ThreeGold, 3), Tolerance);
    }

    [Fact]
    public void A_class_that_neither_side_uses_leaves_matthews_unchanged()
    {
        // As a 2x2 matrix: TP = 2 (k 1, 3), TN = 1 (k 0), FP = 1 (k 2), FN = 0: (2·1 − 1·0) / √(3·2·1·2) = 2 / √12.
        int[] gold = [0, 1, 0, 1], predicted = [0, 1, 1, 1];
        Assert.Equal(2 / Math.Sqrt(12), TaskMetrics.Matthews(predicted, gold, 2), Tolerance);
        Assert.Equal(2 / Math.Sqrt(12), TaskMetrics.Matthews(predicted, gold, 3), Tolerance);
    }

    [Fact]
    public void Matthews_is_1_for_perfect_and_minus_1_for_inverted_binary_predictions()
    {
        int[] gold = [0, 1, 1, 0, 1];
        Assert.Equal(1, TaskMetrics.Matthews(gold, gold, 2), Tolerance);
        Assert.Equal(-1, TaskMetrics.Matthews(gold.Select(g => 1 - g).ToArray(), gold, 2), Tolerance);
    }

    [Fact]
    public void Matthews_is_0_not_nan_when_gold_or_predictions_are_all_one_class()
    {
        Assert.Equal(0, TaskMetrics.Matthews([1, 1, 1], [1, 1, 1], 2));
        Assert.Equal(0, TaskMetrics.Matthews([0, 1, 1], [1, 1, 1], 2));
        Assert.Equal(0, TaskMetrics.Matthews([2, 2, 2, 2], [0, 1, 2, 1], 3));
    }

    [Fact]
    public void Predictions_and_gold_of_different_lengths_or_none_at_all_are_a_bug_not_a_score()
    {
        Assert.Throws<ArgumentException>(() => TaskMetrics.Accuracy([0, 1], [0, 1, 1]));
        Assert.Throws<ArgumentException>(() => TaskMetrics.Matthews([], [], 2));
        Assert.Throws<ArgumentException>(() => TaskMetrics.F1([1], [], 1));
    }
}
