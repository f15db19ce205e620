using Ose.Tasks;

namespace Ose.Agora.Text;

/// <summary>Word views of utterances in LINGUIST's bracket annotation, so that Agora can grow a slot task.</summary>
public static class SlotWordView
{
    /// <summary>
    /// The words of a bracket-annotated utterance (<see cref="SlotAnnotation"/>), every word of a tagged span protected:
    /// the sampler resamples only words outside the spans, and the rebuilt text holds the same brackets around the same
    /// words, so the new point's tags stay valid (DESIGN 2.5: span-preserving). A drawn word that the annotation cannot
    /// hold (one with a bracket or a space) keeps the seed's word.
    /// </summary>
    public static WordView Of(string annotated, IReadOnlyDictionary<int, string> slots)
    {
        var utterance = SlotAnnotation.Parse(annotated, slots);
        var words = utterance.Words.ToArray();
        var inSpan = new bool[words.Length];
        foreach (var span in utterance.Spans) inSpan.AsSpan(span.Start, span.End - span.Start).Fill(true);
        return new WordView(words, inSpan, changed => new SlotAnnotation(
            changed.Select((word, w) => inSpan[w] || !Holds(word) ? words[w] : word), utterance.Spans).Format(slots));
    }

    private static bool Holds(string word) => word.Length > 0 && !word.Any(c => char.IsWhiteSpace(c) || c is '[' or ']');
}
