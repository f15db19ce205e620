using FsCheck.Fluent;
using FsCheck.Xunit;
using FsCheck;

namespace Ose.Tasks.Tests;

public sealed class SlotAnnotationProperties
{
    private static readonly string[] SlotNames = ["StationStart", "B", "time_of-day", "Ziel_ü"];

    /// <summary>An annotation of 1 to 15 words in runs of 1 to 3, each run a span or not, and a slot map numbering the slots.</summary>
    public sealed record AnnotationCase(SlotAnnotation Utterance, IReadOnlyDictionary<int, string> Slots)
    {
        public override string ToString() => $"{Utterance.Format(Slots)} with {string.Join(", ", Slots.Select(p => $"{p.Key}: {p.Value}"))}";
    }

    private static Gen<string> Word =>
        from length in Gen.Choose(1, 5)
        from characters in Gen.Elements("abzü?-',.19".ToCharArray()).ArrayOf(length)
        select new string(characters);

    private static Arbitrary<AnnotationCase> Cases =>
        (from runCount in Gen.Choose(1, 5)
         from runs in (from length in Gen.Choose(1, 3)
                       from words in Word.ArrayOf(length)
                       from tagged in Gen.Elements(true, false)
                       from slot in Gen.Elements(SlotNames)
                       select (Words: words, Tagged: tagged, Slot: slot)).ArrayOf(runCount)
         from first in Gen.Choose(0, 100)
         from step in Gen.Choose(1, 30)
         select Case(runs, first, step)).ToArbitrary();

    private static AnnotationCase Case((string[] Words, bool Tagged, string Slot)[] runs, int first, int step)
    {
        var spans = new List<SlotSpan>();
        int at = 0;
        foreach (var run in runs)
        {
            if (run.Tagged) spans.Add(new SlotSpan(at, at + run.Words.Length, run.Slot));
            at += run.Words.Length;
        }
        var slots = SlotNames.Select((name, i) => (name, i)).ToDictionary(p => first + p.i * step, p => p.name);
        return new AnnotationCase(new SlotAnnotation(runs.SelectMany(r => r.Words), spans), slots);
    }

    private static bool Same(SlotAnnotation a, SlotAnnotation b) => a.Words.SequenceEqual(b.Words) && a.Spans.SequenceEqual(b.Spans);

    [Property(MaxTest = 500)]
    public Property Reading_what_was_written_gives_the_annotation_back() =>
        Prop.ForAll(Cases, c => Same(SlotAnnotation.Parse(c.Utterance.Format(c.Slots), c.Slots), c.Utterance));

    [Property(MaxTest = 500)]
    public Property Written_text_reads_and_writes_back_to_itself() =>
        Prop.ForAll(Cases, c =>
        {
            string text = c.Utterance.Format(c.Slots);
            return SlotAnnotation.Parse(text, c.Slots).Format(c.Slots) == text;
        });

    [Property(MaxTest = 500)]
    public Property Bio_tags_give_the_spans_back() =>
        Prop.ForAll(Cases, c => Same(SlotAnnotation.FromBio(c.Utterance.Words, c.Utterance.ToBio()), c.Utterance));

    [Property(MaxTest = 500)]
    public Property Tag_numbers_give_the_spans_back() =>
        Prop.ForAll(Cases, c =>
        {
            var tags = new BioTagSet(SlotNames);
            return Same(tags.Decode(c.Utterance.Words, tags.Encode(c.Utterance)), c.Utterance);
        });
}
