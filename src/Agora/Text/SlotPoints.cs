using Ose.Tasks;

namespace Ose.Agora.Text;

/// <summary>
/// Slot-task utterances as Agora's labelled points: the point is the utterance in LINGUIST's bracket annotation (so the
/// sampler, through <see cref="SlotWordView"/>, redraws only the words outside its spans), the label its tagged spans.
/// </summary>
public static class SlotPoints
{
    public static LabelledPoint<TextInput, SlotAnnotation>[] From(IEnumerable<SlotExample> examples, IReadOnlyDictionary<int, string> slots) =>
        examples.Select(e => new LabelledPoint<TextInput, SlotAnnotation>(new TextInput(e.Utterance.Format(slots), null), e.Utterance)).ToArray();

    /// <summary>The words of a point without its brackets: what a tagger sees.</summary>
    public static IReadOnlyList<string> Words(TextInput point, IReadOnlyDictionary<int, string> slots) => SlotAnnotation.Parse(point.Text, slots).Words;
}

/// <summary>
/// Tagged spans as Agora's labels: a prediction is a mistake unless its spans are exactly gold's (slot and words); a
/// labeller is scored by span F1; a label is written in LINGUIST's bracket annotation, and read back from it.
/// </summary>
public sealed class SlotLabels(IReadOnlyDictionary<int, string> slots) : ILabels<SlotAnnotation>
{
    public string LabellerMetric => "span F1";

    // Spans are kept in word order, so equal lists are equal sets.
    public bool Same(SlotAnnotation predicted, SlotAnnotation gold) => predicted.Spans.SequenceEqual(gold.Spans);

    public double LabellerScore(IReadOnlyList<SlotAnnotation> labels, IReadOnlyList<SlotAnnotation> gold) => SpanScore.Of(labels, gold).F1;

    public string Write(SlotAnnotation label) => label.Format(slots);

    public SlotAnnotation Read(string text) => SlotAnnotation.Parse(text, slots);
}
