using Ose.Tasks.Data;

namespace Ose.Tasks.Tests;

[Trait("Category", "PreparedData")]
public sealed class PreparedDataTests
{
    private static readonly DataDirectory Data = DataDirectory.Resolve(null);

    private static int Rows(string task, string split) => File.ReadLines(Path.Combine(Data.Task(task), split + ".tsv")).Count() - 1;

    private static int AllRows(string task) => Rows(task, "train") + Rows(task, "dev") + Rows(task, "test");

    [PreparedDataFact]
    public void Every_source_is_complete()
    {
        Assert.Equal(1000, AllRows("SENT"));
        Assert.Equal(57340, AllRows("GENRE"));
        Assert.Equal(206, AllRows("INTENT"));
        Assert.Equal(117659, AllRows("SUPERSENSE"));
        Assert.Equal(45, File.ReadLines(Path.Combine(Data.Task("SUPERSENSE"), "labels.txt")).Count());
        Assert.Equal(15, File.ReadLines(Path.Combine(Data.Task("GENRE"), "labels.txt")).Count());
        Assert.Equal(57340 + 117659, File.ReadLines(Data.CorpusTrain).Count() + File.ReadLines(Data.CorpusDev).Count());
    }

    [PreparedDataFact]
    public void Slots_holds_the_intent_utterances_with_their_entity_spans_in_the_same_splits()
    {
        var slots = SlotTask.Load(Data.Task("SLOTS"));
        var intent = TextTask.Load(Data.Task("INTENT"));

        Assert.Equal(7, slots.Slots.Count);
        Assert.Equal(500, slots.Train.Concat(slots.Dev).Concat(slots.Test).Sum(e => e.Utterance.Spans.Count));
        foreach (var (slot, text) in new[] { (slots.Train, intent.Train), (slots.Dev, intent.Dev), (slots.Test, intent.Test) })
            Assert.Equal(text.Select(e => (e.Text.Replace(" ", ""), intent.Labels[e.Label])),
                slot.Select(e => (e.Utterance.Text.Replace(" ", ""), slots.Intents[e.Intent])));
    }
}
