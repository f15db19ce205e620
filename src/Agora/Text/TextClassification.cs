using Ose.Models;
using Ose.Models.Checkpoints;
using Ose.Models.FineTuning;
using Ose.Models.Text;
using static TorchSharp.torch;

namespace Ose.Agora.Text;

/// <summary>A text point: a sentence, or a sentence pair.</summary>
public sealed record TextInput(string Text, string? Pair)
{
    public TextExample WithLabel(int label) => new(Text, Pair, label);
}

/// <summary>Task examples as Agora's labelled points.</summary>
public static class TextPoints
{
    public static LabelledPoint<TextInput>[] From(IEnumerable<TextExample> examples) =>
        examples.Select(e => new LabelledPoint<TextInput>(new TextInput(e.Text, e.Pair), e.Label)).ToArray();
}

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
    int classes, TaskMetric metric) : IStudentTrainer<TextInput>
{
    public IStudent Train(IReadOnlyList<LabelledPoint<TextInput>> train, IReadOnlyList<LabelledPoint<TextInput>> dev, FineTuningOptions θ,
        long seed, CancellationToken cancellation) =>
        new TextStudent(trainer.Train(config, encoder, classes, Examples(train), Examples(dev), metric, θ, seed, cancellation: cancellation));

    public int[] Predict(IStudent student, IReadOnlyList<TextInput> points) =>
        trainer.Predict(((TextStudent)student).FineTuned.Model, points.Select(p => p.WithLabel(0)).ToArray(), MaxLength)
            .Select(p => p.Label).ToArray();

    public double Score(IReadOnlyList<int> predicted, IReadOnlyList<int> gold) => TaskMetrics.Score(metric, predicted, gold, classes);

    public int MaxLength { get; init; } = 64;

    private static TextExample[] Examples(IReadOnlyList<LabelledPoint<TextInput>> points) => points.Select(p => p.Point.WithLabel(p.Label)).ToArray();
}

/// <summary>A fine-tuned classifier from disk labelling generated text.</summary>
public sealed class ClassifierLabeller(LoadedClassifier classifier, TextClassifierTrainer trainer, int maxLength = 64) : ILabeller<TextInput>
{
    public (int Label, double Confidence)[] Label(IReadOnlyList<TextInput> points) =>
        points.Count == 0 ? [] : trainer.Predict(classifier.Model, points.Select(p => p.WithLabel(0)).ToArray(), maxLength);
}

/// <summary>A text point on one line of generated.tsv: the sentence, and the pair after a tab when there is one.</summary>
public sealed class TextFormat : IPointFormat<TextInput>
{
    public string Write(TextInput point) => point.Pair is null ? point.Text : point.Text + "\t" + point.Pair;

    public TextInput Read(string text)
    {
        int tab = text.IndexOf('\t');
        return tab < 0 ? new TextInput(text, null) : new TextInput(text[..tab], text[(tab + 1)..]);
    }
}
