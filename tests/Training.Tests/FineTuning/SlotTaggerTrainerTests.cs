using Ose.Models.Checkpoints;
using Ose.Models.Text;
using Ose.Models;
using Ose.Tasks;
using Ose.Training.FineTuning;
using static TorchSharp.torch;

namespace Ose.Training.Tests;

/// <summary>
/// A toy slot task a tiny tagger learns in seconds: cities after "from" start a trip, cities after "to" end it, in
/// shuffled templates, with cities of two pieces (ber ##lin) and of two words (new york).
/// </summary>
public sealed class SlotTaggerTrainerTests : IDisposable
{
    private static readonly string[] Vocabulary =
        ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "i", "go", "from", "to", "please", "take", "the", "bus", "paris", "rome", "oslo",
         "ber", "##lin", "lis", "##bon", "new", "york", "?"];

    private static readonly string[] Cities = ["paris", "rome", "oslo", "berlin", "lisbon", "new york"];
    private static readonly BioTagSet Tags = new(["Start", "Dest"]);
    private const int MaxLength = 16;

    private readonly string vocabulary = Path.Combine(Path.GetTempPath(), $"ose-vocab-{Guid.NewGuid():N}.txt");
    private readonly string folder = Path.Combine(Path.GetTempPath(), $"ose-tagger-{Guid.NewGuid():N}");

    public SlotTaggerTrainerTests() => File.WriteAllLines(vocabulary, Vocabulary);

    public void Dispose()
    {
        File.Delete(vocabulary);
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
    }

    private static SlotAnnotation[] Utterances(int count, int seed)
    {
        var random = new Random(seed);
        var slots = SlotAnnotation.Numbered(Tags.Slots);
        string City() => Cities[random.Next(Cities.Length)];
        string[] templates = ["i go from [1 {0} ] to [2 {1} ] ?", "from [1 {0} ] to [2 {1} ] please", "to [2 {1} ] from [1 {0} ]",
            "take the bus to [2 {1} ] ?", "i go to [2 {1} ] from [1 {0} ] please", "from [1 {0} ] ?"];
        return Enumerable.Range(0, count)
            .Select(_ => SlotAnnotation.Parse(string.Format(templates[random.Next(templates.Length)], City(), City()), slots))
            .ToArray();
    }

    [Fact]
    public void A_tiny_tagger_learns_a_toy_slot_task_and_keeps_its_best_dev_step()
    {
        var tokenizer = WordPieceTokenizer.Load(vocabulary);
        var trainer = new SlotTaggerTrainer(tokenizer, CPU);
        var dev = Utterances(40, seed: 2);
        var θ = new HyperParameters(LearningRate: 1e-2, Steps: 600, BatchSize: 16, WarmupShare: 0.1, EvaluateEvery: 50, MaxLength: MaxLength);

        using var tuned = trainer.Train(Tiny.Config(V: Vocabulary.Length), null, Tags, Utterances(120, seed: 1), dev, θ, seed: 3);

        Assert.True(tuned.DevScore.F1 >= 0.95, $"dev span F1 {tuned.DevScore.F1}");
        Assert.Equal(tuned.DevScore, trainer.Score(tuned.Model, Tags, dev, MaxLength));
        Assert.Equal(0, tuned.BestStep % 50);
        var predicted = trainer.Predict(tuned.Model, Tags, [["i", "go", "from", "new", "york", "to", "berlin", "?"]], MaxLength).Single();
        Assert.Equal([new SlotSpan(3, 5, "Start"), new SlotSpan(6, 7, "Dest")], predicted.Spans);
    }

    [Fact]
    public void A_saved_tagger_loads_back_with_its_tags_and_predicts_the_same()
    {
        var tokenizer = WordPieceTokenizer.Load(vocabulary);
        var trainer = new SlotTaggerTrainer(tokenizer, CPU);
        var config = Tiny.Config(V: Vocabulary.Length);
        manual_seed(5);
        using var model = new BertForTokenClassification(config, Tags.Count);
        var utterances = Utterances(8, seed: 4).Select(u => u.Words).ToArray();

        TaggerFolder.Save(model, config, Tags, vocabulary, Tiny.Record, folder);
        using var loaded = TaggerFolder.Load(folder, vocabulary, CPU);

        Assert.Equal(Tags.Names, loaded.Tags.Names);
        Assert.Equal(trainer.Predict(model, Tags, utterances, MaxLength).Select(u => u.Format(SlotAnnotation.Numbered(Tags.Slots))),
            trainer.Predict(loaded.Model, loaded.Tags, utterances, MaxLength).Select(u => u.Format(SlotAnnotation.Numbered(Tags.Slots))));
        Assert.Contains("BertForTokenClassification", File.ReadAllText(Path.Combine(folder, "config.json")));
    }

    [Fact]
    public void A_taggers_confidence_is_its_least_sure_words_tag_probability_and_0_when_a_word_is_cut_off()
    {
        var tokenizer = WordPieceTokenizer.Load(vocabulary);
        var trainer = new SlotTaggerTrainer(tokenizer, CPU);
        manual_seed(6);
        using var model = new BertForTokenClassification(Tiny.Config(V: Vocabulary.Length), Tags.Count);
        string[] words = ["i", "go", "from", "berlin", "to", "new", "york"];
        string[] tooLong = [.. words, .. words, "?"];   // 17 pieces and [CLS] [SEP]: the last words are cut off

        var tagged = trainer.Tag(model, Tags, [words, tooLong], MaxLength);

        var aligned = AlignedWords.Encode(tokenizer, words, MaxLength);
        using var _ = no_grad();
        model.eval();
        var ids = tensor(aligned.Ids.Select(i => (long)i).ToArray(), [1, aligned.Ids.Length]);
        var probabilities = nn.functional.softmax(model.call(ids, zeros_like(ids), ones_like(ids)), -1)[0].max(-1).values;
        double least = aligned.FirstPieces.Min(p => probabilities[p].item<float>());
        Assert.Equal(least, tagged[0].Confidence, 6);
        Assert.InRange(tagged[0].Confidence, 1.0 / Tags.Count, 1.0);
        Assert.Equal(0, tagged[1].Confidence);
        Assert.Equal(trainer.Predict(model, Tags, [words, tooLong], MaxLength).Select(u => u.Spans), tagged.Select(t => t.Spans.Spans));
    }
}
