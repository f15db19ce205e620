using Ose.Agora.Text;
using Ose.Models.Text;
using Ose.Models;
using Ose.Tasks;
using static TorchSharp.torch;

namespace Ose.Agora.Tests.Text;

public sealed class SlotWordViewTests : IDisposable
{
    private static readonly IReadOnlyDictionary<int, string> Slots = SlotAnnotation.Numbered(["StationStart", "Vehicle"]);
    private const string Seed = "is there a [2 bus ] from [1 ber lin ] to paris ?";

    // A vocabulary with "[" and "]" among the words a masked LM may draw: a drawn bracket must not break the annotation.
    private static readonly string[] Vocabulary =
        ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "is", "there", "a", "bus", "from", "to", "paris", "?", "ber", "##lin", "lin",
         "[", "]", "train", "##s", "go", "rome"];

    private readonly string vocabulary = Path.Combine(Path.GetTempPath(), $"ose-vocab-{Guid.NewGuid():N}.txt");

    public SlotWordViewTests() => File.WriteAllLines(vocabulary, Vocabulary);

    public void Dispose() => File.Delete(vocabulary);

    [Fact]
    public void The_words_of_tagged_spans_are_protected_and_the_rest_are_not()
    {
        var view = SlotWordView.Of(Seed, Slots);

        Assert.Equal(["is", "there", "a", "bus", "from", "ber", "lin", "to", "paris", "?"], view.Words);
        Assert.Equal([false, false, false, true, false, true, true, false, false, false], view.Protected);
        Assert.Equal(Seed, view.Rebuild(view.Words));
    }

    [Fact]
    public void Rebuilding_keeps_the_brackets_around_the_same_words_and_refuses_words_that_would_break_them()
    {
        var view = SlotWordView.Of(Seed, Slots);
        string[] changed = ["was", "there", "[", "tram", "to", "rome", "x", "from", "a b", "!"];

        Assert.Equal("was there a [2 bus ] to [1 ber lin ] from paris !", view.Rebuild(changed));
    }

    [Fact]
    public void A_malformed_seed_annotation_is_a_user_error() =>
        Assert.Throws<UserInputException>(() => SlotWordView.Of("from [1 berlin", Slots));

    [Fact]
    public void Points_the_masked_lm_sampler_draws_keep_every_tagged_span_and_its_words()
    {
        manual_seed(1);
        using var model = new BertForMaskedLM(new EncoderConfig(D: 1, A: 2, H: 16, I: 32, V: Vocabulary.Length, S: 32, T: 2, Pooler: false, Dropout: 0));
        var sampler = new MaskedLmSampler(model, WordPieceTokenizer.Load(vocabulary), vocabulary, fraction: 1.0, CPU,
            view: text => SlotWordView.Of(text, Slots), maxLength: 32);
        var seed = SlotAnnotation.Parse(Seed, Slots);

        var points = sampler.Sample(new TextInput(Seed, null), 40, seed: 9);

        Assert.NotEmpty(points);
        Assert.All(points, point =>
        {
            var drawn = SlotAnnotation.Parse(point.Text, Slots);
            Assert.Equal(seed.Spans, drawn.Spans);
            Assert.Equal(seed.Words.Count, drawn.Words.Count);
            foreach (var span in seed.Spans)
                Assert.Equal(seed.Words.Skip(span.Start).Take(span.End - span.Start), drawn.Words.Skip(span.Start).Take(span.End - span.Start));
        });
        Assert.Contains(points, p => SlotAnnotation.Parse(p.Text, Slots).Words[0] != "is");
    }
}
