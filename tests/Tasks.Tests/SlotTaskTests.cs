namespace Ose.Tasks.Tests;

public sealed class SlotTaskTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("ose-slots-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private void Write(string file, params string[] lines) => File.WriteAllLines(Path.Combine(folder, file), lines);

    private void WriteTask(params string[] trainRows)
    {
        Write("slots.txt", "StationStart", "StationDest");
        Write("train.tsv", ["utterance\tlabel", .. trainRows]);
        Write("dev.tsv", "utterance\tlabel", "to [2 lehel ]\tFindConnection");
    }

    [Fact]
    public void A_folder_with_slots_txt_loads_as_utterances_with_spans_and_intents()
    {
        WriteTask("from [1 garching ] to [2 lehel ] ?\tFindConnection", "", "when is the next bus\tDepartureTime");
        Write("test.tsv", "utterance\tlabel", "[1 garching forschungszentrum ]\tDepartureTime");

        Assert.True(SlotTask.IsSlotTask(folder));
        var task = SlotTask.Load(folder);

        Assert.Equal(["StationStart", "StationDest"], task.Slots);
        Assert.Equal(["DepartureTime", "FindConnection"], task.Intents);
        Assert.Equal(5, task.Tags.Count);
        Assert.Equal((2, 1, 1), (task.Train.Count, task.Dev.Count, task.Test.Count));
        Assert.Equal([new SlotSpan(1, 2, "StationStart"), new SlotSpan(3, 4, "StationDest")], task.Train[0].Utterance.Spans);
        Assert.Equal(1, task.Train[0].Intent);
        Assert.Equal(new SlotSpan(0, 2, "StationStart"), Assert.Single(task.Test[0].Utterance.Spans));
    }

    [Fact]
    public void A_malformed_annotation_names_its_file_and_line()
    {
        WriteTask("from [1 garching ] to [2 lehel ]\tFindConnection", "from [3 garching ]\tFindConnection");

        var error = Assert.Throws<UserInputException>(() => SlotTask.Load(folder));
        Assert.Contains("train.tsv line 3: slot number 3", error.Message);
    }

    [Fact]
    public void An_intent_missing_from_labels_txt_names_its_file_and_line()
    {
        WriteTask("from [1 garching ]\tFindConnection");
        Write("labels.txt", "DepartureTime");

        var error = Assert.Throws<UserInputException>(() => SlotTask.Load(folder));
        Assert.Contains("train.tsv line 2: intent 'FindConnection'", error.Message);
    }

    [Fact]
    public void A_classification_header_or_a_missing_field_is_a_user_error()
    {
        WriteTask("from [1 garching ]");
        Assert.Contains("line 2: expected 2 non-empty tab-separated fields", Assert.Throws<UserInputException>(() => SlotTask.Load(folder)).Message);

        Write("train.tsv", "sentence\tlabel", "from garching\tFindConnection");
        Assert.Contains("train.tsv line 1: expected a header row, utterance<TAB>label", Assert.Throws<UserInputException>(() => SlotTask.Load(folder)).Message);
    }

    [Fact]
    public void An_intent_listed_twice_in_labels_txt_is_a_user_error_like_a_repeated_classification_label()
    {
        WriteTask("from [1 garching ]\tFindConnection");
        Write("labels.txt", "FindConnection", "DepartureTime", "FindConnection");
        Assert.Contains("labels.txt: intent 'FindConnection' is listed more than once",
            Assert.Throws<UserInputException>(() => SlotTask.Load(folder)).Message);
    }

    [Fact]
    public void Bytes_that_are_not_utf8_are_an_error_naming_their_line_not_replaced()
    {
        WriteTask("from [1 garching ]\tFindConnection", "to [2 lehel ]\tFindConnection");
        var bytes = File.ReadAllBytes(Path.Combine(folder, "train.tsv")).ToList();
        bytes.Insert(bytes.LastIndexOf((byte)'l'), 0xFF);   // in "lehel", on line 3
        File.WriteAllBytes(Path.Combine(folder, "train.tsv"), [.. bytes]);
        Assert.EndsWith("train.tsv line 3: not valid UTF-8", Assert.Throws<UserInputException>(() => SlotTask.Load(folder)).Message);
    }

    [Fact]
    public void A_slot_listed_twice_is_a_user_error()
    {
        WriteTask("from [1 garching ]\tFindConnection");
        Write("slots.txt", "StationStart", "StationStart");
        Assert.Contains("listed twice", Assert.Throws<UserInputException>(() => SlotTask.Load(folder)).Message);
    }
}
