namespace Ose.Tasks.Tests;

public sealed class SpanScoreTests
{
    private static SlotAnnotation Utterance(int words, params SlotSpan[] spans) =>
        new(Enumerable.Range(0, words).Select(w => "w" + w), spans);

    [Fact]
    public void Only_spans_with_the_same_words_and_slot_count_as_correct()
    {
        SlotAnnotation[] gold = [Utterance(6, new SlotSpan(1, 2, "A"), new SlotSpan(3, 5, "B")), Utterance(4, new SlotSpan(0, 1, "A"))];
        // Right; one word short; right words, wrong slot; a span gold does not have.
        SlotAnnotation[] predicted = [Utterance(6, new SlotSpan(1, 2, "A"), new SlotSpan(3, 4, "B")), Utterance(4, new SlotSpan(0, 1, "B"), new SlotSpan(2, 3, "A"))];

        var score = SpanScore.Of(predicted, gold);

        Assert.Equal(new SpanScore(Correct: 1, Predicted: 4, Gold: 3), score);
        Assert.Equal(1 / 4.0, score.Precision, 12);
        Assert.Equal(1 / 3.0, score.Recall, 12);
        Assert.Equal(2 * (1 / 4.0) * (1 / 3.0) / (1 / 4.0 + 1 / 3.0), score.F1, 12);
        Assert.Equal(2 / 7.0, score.F1, 12);
    }

    [Fact]
    public void Perfect_tags_score_one_and_no_correct_span_scores_zero()
    {
        SlotAnnotation[] gold = [Utterance(3, new SlotSpan(0, 2, "A")), Utterance(2)];
        Assert.Equal(1.0, SpanScore.Of(gold, gold).F1);
        Assert.Equal(0.0, SpanScore.Of([Utterance(3), Utterance(2)], gold).F1);
        Assert.Equal(0.0, SpanScore.Of([Utterance(3), Utterance(2)], [Utterance(3), Utterance(2)]).F1);
    }

    [Fact]
    public void Spans_are_matched_within_their_own_utterance()
    {
        SlotAnnotation[] gold = [Utterance(2, new SlotSpan(0, 1, "A")), Utterance(2)];
        SlotAnnotation[] predicted = [Utterance(2), Utterance(2, new SlotSpan(0, 1, "A"))];
        Assert.Equal(new SpanScore(0, 1, 1), SpanScore.Of(predicted, gold));
    }
}
