using FsCheck.Fluent;
using FsCheck.Xunit;
using FsCheck;

namespace Ose.Tasks.Tests;

public sealed class TaskMetricsProperties
{
    /// <summary>2 to 4 classes, 1 to 40 gold labels and as many predictions; a third of the time the predictions are the gold labels.</summary>
    public sealed record LabelCase(int Classes, int[] Gold, int[] Predicted)
    {
        public override string ToString() =>
            $"{Classes} classes, gold [{string.Join(", ", Gold)}], predicted [{string.Join(", ", Predicted)}]";
    }

    private static Arbitrary<LabelCase> Cases =>
        (from classes in Gen.Choose(2, 4)
         from n in Gen.Choose(1, 40)
         from gold in Gen.Choose(0, classes - 1).ArrayOf(n)
         from other in Gen.Choose(0, classes - 1).ArrayOf(n)
         from copy in Gen.Choose(0, 2)
         select new LabelCase(classes, gold, copy == 0 ? (int[])gold.Clone() : other)).ToArbitrary();

    private const double Tolerance = 1e-9;

    [Property(MaxTest = 500)]
    public Property Matthews_lies_in_minus_1_to_1_and_is_1_exactly_when_predictions_match_gold_of_two_or_more_classes() =>
        Prop.ForAll(Cases, c =>
        {
            double mcc = TaskMetrics.Matthews(c.Predicted, c.Gold, c.Classes);
            bool perfect = c.Predicted.SequenceEqual(c.Gold) && c.Gold.Distinct().Count() >= 2;
            return double.IsFinite(mcc) && mcc >= -1 - Tolerance && mcc <= 1 + Tolerance
                && (Math.Abs(mcc - 1) < Tolerance) == perfect;
        });

    [Property(MaxTest = 500)]
    public Property Accuracy_and_matthews_are_symmetric_in_predictions_and_gold_and_blind_to_renaming_classes() =>
        Prop.ForAll(Cases, c =>
        {
            int[] Rename(int[] labels) => labels.Select(l => (l + 1) % c.Classes).ToArray();
            double mcc = TaskMetrics.Matthews(c.Predicted, c.Gold, c.Classes);
            double accuracy = TaskMetrics.Accuracy(c.Predicted, c.Gold);
            return Math.Abs(TaskMetrics.Matthews(c.Gold, c.Predicted, c.Classes) - mcc) < Tolerance
                && Math.Abs(TaskMetrics.Matthews(Rename(c.Predicted), Rename(c.Gold), c.Classes) - mcc) < Tolerance
                && TaskMetrics.Accuracy(c.Gold, c.Predicted) == accuracy
                && Math.Abs(TaskMetrics.Accuracy(Rename(c.Predicted), Rename(c.Gold)) - accuracy) < Tolerance;
        });

    [Property(MaxTest = 500)]
    public Property F1_lies_in_0_to_1_and_is_1_exactly_when_the_positive_class_is_predicted_where_and_only_where_it_is_gold() =>
        Prop.ForAll(Cases, c =>
        {
            double f1 = TaskMetrics.F1(c.Predicted, c.Gold, positive: 1);
            bool perfect = c.Gold.Contains(1) && c.Predicted.Zip(c.Gold).All(p => (p.First == 1) == (p.Second == 1));
            return f1 >= 0 && f1 <= 1 && (Math.Abs(f1 - 1) < Tolerance) == perfect;
        });
}
