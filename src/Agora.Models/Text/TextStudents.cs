using Ose.Models.Checkpoints;
using Ose.Models;
using Ose.Tasks;
using Ose.Training.FineTuning;
using static TorchSharp.torch;

namespace Ose.Agora.Text;

/// <summary>A fine-tuned text classifier as an Agora student.</summary>
public sealed class TextStudent(FineTuned fineTuned) : IStudent
{
    public FineTuned FineTuned { get; } = fineTuned;
    public double DevScore => FineTuned.DevScore;
    public int StepsTrained => FineTuned.StepsTrained;
    public void Dispose() => FineTuned.Dispose();
}

/// <summary>
/// Fine-tunes students from one pretrained encoder (every student starts from the same weights) on a text task.
/// </summary>
public sealed class TextStudentTrainer(TextClassifierTrainer trainer, EncoderConfig config, IReadOnlyDictionary<string, Tensor> encoder,
    int classes, TaskMetric metric) : IStudentTrainer<TextInput, int>
{
    public IStudent Train(IReadOnlyList<LabelledPoint<TextInput, int>> train, IReadOnlyList<LabelledPoint<TextInput, int>> dev, HyperParameters θ,
        long seed, CancellationToken cancellation) =>
        new TextStudent(trainer.Train(config, encoder, classes, Examples(train), Examples(dev), metric, θ, seed, cancellation: cancellation));

    public int[] Predict(IStudent student, IReadOnlyList<TextInput> points) =>
        trainer.Predict(((TextStudent)student).FineTuned.Model, points.Select(p => p.WithLabel(0)).ToArray(), MaxLength)
            .Select(p => p.Label).ToArray();

    public double Score(IReadOnlyList<int> predicted, IReadOnlyList<int> gold) => TaskMetrics.Score(metric, predicted, gold, classes);

    public int MaxLength { get; init; } = 64;

    private static TextExample[] Examples(IReadOnlyList<LabelledPoint<TextInput, int>> points) => points.Select(p => p.Point.WithLabel(p.Label)).ToArray();
}

/// <summary>A fine-tuned classifier from disk labelling generated text.</summary>
public sealed class ClassifierLabeller(LoadedClassifier classifier, TextClassifierTrainer trainer, int maxLength = 64) : ILabeller<TextInput, int>
{
    public (int Label, double Confidence)[] Label(IReadOnlyList<TextInput> points) =>
        points.Count == 0 ? [] : trainer.Predict(classifier.Model, points.Select(p => p.WithLabel(0)).ToArray(), maxLength);
}
