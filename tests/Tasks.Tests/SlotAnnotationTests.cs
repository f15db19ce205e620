namespace Ose.Tasks.Tests;

public sealed class SlotAnnotationTests
{
    private static readonly IReadOnlyDictionary<int, string> Slots = SlotAnnotation.Numbered(["StationStart", "StationDest", "TimeStart"]);

    private const string Linguist = "is there a bus from [1 odeonsplatz ] to [2 hauptbahnhof ] at [3 3 pm ] ?";

    [Fact]
    public void The_linguist_example_reads_as_words_and_spans_and_writes_back_exactly()
    {
        var utterance = SlotAnnotation.Parse(Linguist, Slots);

        Assert.Equal("is there a bus from odeonsplatz to hauptbahnhof at 3 pm ?", utterance.Text);
        Assert.Equal([new SlotSpan(5, 6, "StationStart"), new SlotSpan(7, 8, "StationDest"), new SlotSpan(9, 11, "TimeStart")], utterance.Spans);
        Assert.Equal(Linguist, utterance.Format(Slots));
    }

    [Fact]
    public void Each_word_gets_a_bio_tag()
    {
        Assert.Equal(["O", "O", "O", "O", "O", "B-StationStart", "O", "B-StationDest", "O", "B-TimeStart", "I-TimeStart", "O"],
            SlotAnnotation.Parse(Linguist, Slots).ToBio());
    }

    [Fact]
    public void Numbers_count_from_one_in_list_order_and_tags_number_o_then_b_and_i_per_slot()
    {
        Assert.Equal("StationDest", Slots[2]);
        var tags = new BioTagSet(["StationStart", "StationDest"]);
        Assert.Equal(["O", "B-StationStart", "I-StationStart", "B-StationDest", "I-StationDest"], tags.Names);
        Assert.Equal([0, 3, 4, 0, 1], tags.Encode(SlotAnnotation.Parse("to [2 garching forschungszentrum ] from [1 lehel ]", Slots)));
    }

    [Fact]
    public void Ill_formed_bio_tags_read_as_conlleval_reads_them()
    {
        string[] words = ["a", "b", "c", "d", "e", "f"];
        var utterance = SlotAnnotation.FromBio(words, ["I-X", "I-X", "O", "B-Y", "I-X", "B-Y"]);

        Assert.Equal([new SlotSpan(0, 2, "X"), new SlotSpan(3, 4, "Y"), new SlotSpan(4, 5, "X"), new SlotSpan(5, 6, "Y")], utterance.Spans);
    }

    [Fact]
    public void A_tag_that_is_not_o_b_or_i_is_a_user_error()
    {
        var error = Assert.Throws<UserInputException>(() => SlotAnnotation.FromBio(["a", "b"], ["O", "S-X"]));
        Assert.Contains("'S-X' of word 2", error.Message);
    }

    [Theory]
    [InlineData("from [1 odeonsplatz to lehel", "'[1' opened before word 2 is never closed")]
    [InlineData("from [4 odeonsplatz ]", "slot number 4 of '[4' is not in the slot map (1, 2, 3)")]
    [InlineData("from [1 odeonsplatz [2 lehel ] ]", "spans cannot nest")]
    [InlineData("from odeonsplatz ] to lehel", "']' after word 2 closes no span")]
    [InlineData("from [1 ] odeonsplatz", "the span '[1' before word 2 is empty")]
    [InlineData("from [x odeonsplatz ]", "'[x' is not a span's opening")]
    [InlineData("from [1odeonsplatz ]", "'[1odeonsplatz' is not a span's opening")]
    [InlineData("from [1 odeonsplatz]", "'odeonsplatz]' holds a bracket")]
    [InlineData("  ", "no words")]
    public void Malformed_annotations_are_user_errors_that_say_what_is_wrong(string annotated, string message)
    {
        var error = Assert.Throws<UserInputException>(() => SlotAnnotation.Parse(annotated, Slots));
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void Words_that_the_annotation_cannot_hold_are_refused()
    {
        Assert.Throws<ArgumentException>(() => new SlotAnnotation(["a", "[1"], []));
        Assert.Throws<ArgumentException>(() => new SlotAnnotation(["a b"], []));
        Assert.Throws<ArgumentException>(() => new SlotAnnotation(["a", "b"], [new SlotSpan(0, 2, "X"), new SlotSpan(1, 2, "Y")]));
    }
}
