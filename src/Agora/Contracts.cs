using System.Globalization;
using Ose.Tasks;

namespace Ose.Agora;

/// <summary>
/// Where a generated training point came from: its round, the point it was sampled around (its index in dev; in the task's
/// own training points for the random-seed ablation), and how sure the labeller was.
/// </summary>
public sealed record Provenance(int Round, int SeedPoint, double Confidence);

/// <summary>
/// A training point and its label (a class, or the tagged spans of an utterance); <see cref="Origin"/> is null for the
/// task's own examples.
/// </summary>
public sealed record LabelledPoint<TPoint, TLabel>(TPoint Point, TLabel Label, Provenance? Origin = null);

/// <summary>A fine-tuned student, able to predict labels for new points.</summary>
public interface IStudent : IDisposable
{
    /// <summary>The dev metric at the student's best step.</summary>
    double DevScore { get; }

    /// <summary>Optimizer steps spent training it: the compute Agora and plain fine-tuning are compared at.</summary>
    int StepsTrained { get; }
}

/// <summary>Fine-tunes a fresh student (from the same initial weights every time) and predicts with it.</summary>
public interface IStudentTrainer<TPoint, TLabel>
{
    IStudent Train(IReadOnlyList<LabelledPoint<TPoint, TLabel>> train, IReadOnlyList<LabelledPoint<TPoint, TLabel>> dev, HyperParameters θ,
        long seed, CancellationToken cancellation);

    TLabel[] Predict(IStudent student, IReadOnlyList<TPoint> points);

    /// <summary>The task's metric (accuracy, F1, Matthews; span F1 for slots) of predictions against gold labels.</summary>
    double Score(IReadOnlyList<TLabel> predicted, IReadOnlyList<TLabel> gold);
}

/// <summary>Generates points "similar, but not too similar" to a seed point in some representation space.</summary>
public interface INeighbourSampler<TPoint>
{
    IReadOnlyList<TPoint> Sample(TPoint seedPoint, int count, long seed);
}

/// <summary>The second, trained model that labels generated points.</summary>
public interface ILabeller<TPoint, TLabel>
{
    (TLabel Label, double Confidence)[] Label(IReadOnlyList<TPoint> points);
}

/// <summary>How points are written to and read from one line of the run's generated.tsv.</summary>
public interface IPointFormat<TPoint>
{
    string Write(TPoint point);
    TPoint Read(string text);
}

/// <summary>
/// What the loop needs to know of a label type: when a prediction is a mistake, how a labeller is scored on dev
/// before it may label (against <see cref="AgoraOptions.MinimumLabellerScore"/>), and how a label is written to one
/// field of generated.tsv.
/// </summary>
public interface ILabels<TLabel>
{
    /// <summary>The name of <see cref="LabellerScore"/> in messages ("accuracy", "span F1").</summary>
    string LabellerMetric { get; }

    bool Same(TLabel predicted, TLabel gold);

    double LabellerScore(IReadOnlyList<TLabel> labels, IReadOnlyList<TLabel> gold);

    string Write(TLabel label);

    TLabel Read(string text);
}

/// <summary>One class a point: a mistake is another class; the labeller is scored by accuracy, as the papers ask.</summary>
public sealed class ClassLabels : ILabels<int>
{
    public string LabellerMetric => "accuracy";

    public bool Same(int predicted, int gold) => predicted == gold;

    public double LabellerScore(IReadOnlyList<int> labels, IReadOnlyList<int> gold) => TaskMetrics.Accuracy(labels, gold);

    public string Write(int label) => label.ToString(CultureInfo.InvariantCulture);

    public int Read(string text) => int.Parse(text, CultureInfo.InvariantCulture);
}
