using Ose.Models.Checkpoints;
using Ose.Models;
using Ose.Tasks;
using Ose.Training.FineTuning;
using static TorchSharp.torch;

namespace Ose.Agora.Text;

/// <summary>A fine-tuned slot tagger as an Agora student; its dev score is span F1.</summary>
public sealed class SlotStudent(FineTunedTagger tagger) : IStudent
{
    public FineTunedTagger Tagger { get; } = tagger;
    public double DevScore => Tagger.DevScore.F1;
    public int StepsTrained => Tagger.StepsTrained;
    public void Dispose() => Tagger.Dispose();
}

/// <summary>
/// Fine-tunes slot taggers from one pretrained encoder (every student starts from the same weights), as
/// <c>ose finetune</c> does on a slot task: on each point's words with its label's spans (gold, or the labeller's).
/// </summary>
public sealed class SlotStudentTrainer(SlotTaggerTrainer trainer, EncoderConfig config, IReadOnlyDictionary<string, Tensor> encoder,
    BioTagSet tags, IReadOnlyDictionary<int, string> slots) : IStudentTrainer<TextInput, SlotAnnotation>
{
    public IStudent Train(IReadOnlyList<LabelledPoint<TextInput, SlotAnnotation>> train, IReadOnlyList<LabelledPoint<TextInput, SlotAnnotation>> dev,
        HyperParameters θ, long seed, CancellationToken cancellation) =>
        new SlotStudent(trainer.Train(config, encoder, tags, Labels(train), Labels(dev), θ, seed, cancellation: cancellation));

    public SlotAnnotation[] Predict(IStudent student, IReadOnlyList<TextInput> points) =>
        trainer.Predict(((SlotStudent)student).Tagger.Model, tags, points.Select(p => SlotPoints.Words(p, slots)).ToArray(), MaxLength);

    public double Score(IReadOnlyList<SlotAnnotation> predicted, IReadOnlyList<SlotAnnotation> gold) => SpanScore.Of(predicted, gold).F1;

    public int MaxLength { get; init; } = 64;

    private static SlotAnnotation[] Labels(IReadOnlyList<LabelledPoint<TextInput, SlotAnnotation>> points) => points.Select(p => p.Label).ToArray();
}

/// <summary>
/// A fine-tuned tagger from disk labelling generated utterances (teacher labelling): its spans over the point's words,
/// with <see cref="SlotTaggerTrainer.Tag"/>'s confidence, so the loop keeps a point by the rule it keeps classified ones by.
/// </summary>
public sealed class TaggerLabeller(LoadedTagger tagger, SlotTaggerTrainer trainer, IReadOnlyDictionary<int, string> slots, int maxLength = 64)
    : ILabeller<TextInput, SlotAnnotation>
{
    public (SlotAnnotation Label, double Confidence)[] Label(IReadOnlyList<TextInput> points) =>
        points.Count == 0 ? [] : trainer.Tag(tagger.Model, tagger.Tags, points.Select(p => SlotPoints.Words(p, slots)).ToArray(), maxLength);
}
