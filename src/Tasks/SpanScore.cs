namespace Ose.Tasks;

/// <summary>
/// Slot tagging's score as CoNLL-2000's conlleval counts it: a predicted span is correct only when a gold span of the
/// same utterance has exactly its words and its slot; precision, recall and F1 are micro-averaged over all spans.
/// With no correct span all three are 0.
/// </summary>
public sealed record SpanScore(int Correct, int Predicted, int Gold)
{
    public double Precision => Predicted == 0 ? 0 : (double)Correct / Predicted;
    public double Recall => Gold == 0 ? 0 : (double)Correct / Gold;

    /// <summary>2PR / (P + R), which is 2·correct / (predicted + gold).</summary>
    public double F1 => Correct == 0 ? 0 : 2.0 * Correct / (Predicted + Gold);

    public static SpanScore Of(IReadOnlyList<SlotAnnotation> predicted, IReadOnlyList<SlotAnnotation> gold)
    {
        if (predicted.Count != gold.Count) throw new ArgumentException($"{predicted.Count} predicted utterances for {gold.Count} gold ones");
        int correct = 0;
        for (int n = 0; n < gold.Count; n++)
            correct += predicted[n].Spans.Intersect(gold[n].Spans).Count();
        return new SpanScore(correct, predicted.Sum(p => p.Spans.Count), gold.Sum(g => g.Spans.Count));
    }
}
