
namespace Ose.Agora;

/// <summary>
/// Where a generated training point came from: its round, the point it was sampled around (its index in dev; in the task's
/// own training points for the random-seed ablation), and how sure the labeller was.
/// </summary>
public sealed record Provenance(int Round, int SeedPoint, double Confidence);

/// <summary>A training point; <see cref="Origin"/> is null for the task's own examples.</summary>
public sealed record LabelledPoint<TPoint>(TPoint Point, int Label, Provenance? Origin = null);

/// <summary>A fine-tuned student, able to predict labels for new points.</summary>
public interface IStudent : IDisposable
{
    /// <summary>The dev metric at the student's best step.</summary>
    double DevScore { get; }

    /// <summary>Optimizer steps spent training it: the compute Agora and plain fine-tuning are compared at.</summary>
    int StepsTrained { get; }
}

/// <summary>Fine-tunes a fresh student (from the same initial weights every time) and predicts with it.</summary>
public interface IStudentTrainer<TPoint>
{
    IStudent Train(IReadOnlyList<LabelledPoint<TPoint>> train, IReadOnlyList<LabelledPoint<TPoint>> dev, HyperParameters θ, long seed,
        CancellationToken cancellation);

    int[] Predict(IStudent student, IReadOnlyList<TPoint> points);

    /// <summary>The task's metric (accuracy, F1, Matthews) of predictions against gold labels.</summary>
    double Score(IReadOnlyList<int> predicted, IReadOnlyList<int> gold);
}

/// <summary>Generates points "similar, but not too similar" to a seed point in some representation space.</summary>
public interface INeighbourSampler<TPoint>
{
    IReadOnlyList<TPoint> Sample(TPoint seedPoint, int count, long seed);
}

/// <summary>The second, trained model that labels generated points.</summary>
public interface ILabeller<TPoint>
{
    (int Label, double Confidence)[] Label(IReadOnlyList<TPoint> points);
}

/// <summary>How points are written to and read from one line of the run's generated.tsv.</summary>
public interface IPointFormat<TPoint>
{
    string Write(TPoint point);
    TPoint Read(string text);
}
