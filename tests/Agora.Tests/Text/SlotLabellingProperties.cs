using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Ose.Agora.Text;
using Ose.Models.Checkpoints;
using Ose.Models.Text;
using Ose.Models;
using Ose.Tasks;
using Ose.Training.FineTuning;
using static TorchSharp.torch;

namespace Ose.Agora.Tests.Text;

/// <summary>
/// Teacher labelling on a slot task, end to end but for the masked LM: a seed annotation, any words drawn for its
/// unprotected places (brackets, spaces and empty words among them), the utterance <see cref="SlotWordView"/> rebuilds,
/// and the labels a tagger of random weights gives it (so its tag sequences are arbitrary, ill-formed ones included).
/// </summary>
public sealed class SlotLabellingProperties : IDisposable
{
    private static readonly string[] SlotNames = ["City", "Vehicle", "Time"];
    private static readonly IReadOnlyDictionary<int, string> Slots = SlotAnnotation.Numbered(SlotNames);
    private static readonly string[] Words = ["a", "bus", "train", "from", "to", "berlin", "paris", "new", "york", "at", "3", "pm", "?", "ü-bahn"];

    private readonly string vocabulary = Path.Combine(Path.GetTempPath(), $"ose-vocab-{Guid.NewGuid():N}.txt");
    private readonly BertForTokenClassification model;
    private readonly TaggerLabeller labeller;
    private readonly SlotLabels labels = new(Slots);

    public SlotLabellingProperties()
    {
        // "[" and "]" are tokens the tagger knows; "ü-bahn" is not one, so it is split or unknown.
        int size = Tiny.WriteVocabulary(vocabulary, [.. Words.SkipLast(1), "[", "]"]);
        var tags = new BioTagSet(SlotNames);
        manual_seed(3);
        var config = Tiny.Config(V: size) with { S = 32 };
        model = new BertForTokenClassification(config, tags.Count);
        labeller = new TaggerLabeller(new LoadedTagger(model, config, tags), new SlotTaggerTrainer(WordPieceTokenizer.Load(vocabulary), CPU), Slots, maxLength: 32);
    }

    public void Dispose()
    {
        model.Dispose();
        File.Delete(vocabulary);
    }

    /// <summary>A seed annotation of runs of 1 to 3 words, each run a span or not, and one drawn word per word of it.</summary>
    public sealed record LabellingCase(string Seed, string[] Drawn)
    {
        public override string ToString() => $"seed '{Seed}', drawn [{string.Join(", ", Drawn.Select(w => $"'{w}'"))}]";
    }

    private static Arbitrary<LabellingCase> Cases =>
        (from runCount in Gen.Choose(1, 6)
         from runs in (from length in Gen.Choose(1, 3)
                       from words in Gen.Elements(Words).ArrayOf(length)
                       from tagged in Gen.Elements(true, false)
                       from slot in Gen.Elements(SlotNames)
                       select (Words: words, Tagged: tagged, Slot: slot)).ArrayOf(runCount)
         let seed = Seed(runs)
         from drawn in Gen.Elements(Words.Concat(["[", "]", "[1", "x]", "a b", "", " ", "zebra", "##s"]).ToArray()).ArrayOf(seed.Words.Count)
         select new LabellingCase(seed.Format(Slots), drawn)).ToArbitrary();

    private static SlotAnnotation Seed((string[] Words, bool Tagged, string Slot)[] runs)
    {
        var spans = new List<SlotSpan>();
        int at = 0;
        foreach (var run in runs)
        {
            if (run.Tagged) spans.Add(new SlotSpan(at, at + run.Words.Length, run.Slot));
            at += run.Words.Length;
        }
        return new SlotAnnotation(runs.SelectMany(r => r.Words), spans);
    }

    private (TextInput Point, SlotAnnotation Label, double Confidence) Labelled(LabellingCase c)
    {
        var point = new TextInput(SlotWordView.Of(c.Seed, Slots).Rebuild(c.Drawn), null);
        var (label, confidence) = labeller.Label([point])[0];
        return (point, label, confidence);
    }

    [Property(MaxTest = 300)]
    public Property A_teacher_label_written_as_an_annotation_reads_back_to_itself_over_the_utterances_words() =>
        Prop.ForAll(Cases, c =>
        {
            var (point, label, confidence) = Labelled(c);
            var words = SlotAnnotation.Parse(point.Text, Slots).Words;
            var read = labels.Read(labels.Write(label));
            return read.Words.SequenceEqual(words) && read.Spans.SequenceEqual(label.Spans)
                && read.Spans.All(s => s.End <= words.Count && read.Words.Skip(s.Start).Take(s.End - s.Start).All(words.Contains))
                && confidence is >= 0 and <= 1;
        });

    [Fact]
    public void The_random_tagger_labels_spans_of_several_slots_some_of_them_back_to_back()
    {
        var labelled = Cases.Generator.Sample(200).Select(Labelled).ToArray();

        Assert.True(labelled.SelectMany(l => l.Label.Spans).Select(s => s.Slot).Distinct().Count() >= 2);
        // A span that starts where another ends comes from tags such as B-City I-Time, which the annotation must still hold.
        Assert.Contains(labelled, l => l.Label.Spans.Zip(l.Label.Spans.Skip(1)).Any(p => p.First.End == p.Second.Start));
    }
}
