namespace Ose.Tasks.Tests;

public sealed class TextTaskTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("ose-task-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    /// <summary>A task folder named <paramref name="name"/> holding the given files (name → lines).</summary>
    private string TaskFolder(string name, params (string File, string[] Lines)[] files)
    {
        string folder = Path.Combine(root, name);
        Directory.CreateDirectory(folder);
        foreach (var (file, lines) in files) File.WriteAllLines(Path.Combine(folder, file), lines);
        return folder;
    }

    private static (string, string[]) Sentences(string file, params string[] rows) => (file, ["sentence\tlabel", .. rows]);

    private static (string, string[]) Pairs(string file, params string[] rows) => (file, ["sentence1\tsentence2\tlabel", .. rows]);

    [Fact]
    public void A_single_sentence_task_loads_its_splits_with_labels_indexed_in_the_order_of_labels_txt()
    {
        string folder = TaskFolder("sst-toy",
            Sentences("train.tsv", "a fine film\tpositive", "a dull film\tnegative", "quite good\tpositive"),
            Sentences("dev.tsv", "not bad\tpositive", "awful\tnegative"),
            Sentences("test.tsv", "so so\tnegative"),
            ("labels.txt", ["positive", "negative"]));

        var task = TextTask.Load(folder);

        Assert.Equal("sst-toy", task.Name);
        Assert.False(task.IsPair);
        // labels.txt, not alphabetical order, fixes the indices.
        Assert.Equal(["positive", "negative"], task.Labels);
        Assert.Equal(
            [new TextExample("a fine film", null, 0), new TextExample("a dull film", null, 1), new TextExample("quite good", null, 0)],
            task.Train);
        Assert.Equal([new TextExample("not bad", null, 0), new TextExample("awful", null, 1)], task.Dev);
        Assert.Equal([new TextExample("so so", null, 1)], task.Test);
        Assert.Equal(TaskMetric.Accuracy, task.Metric);
    }

    [Fact]
    public void A_sentence_pair_task_keeps_both_sentences_and_reads_its_metric_from_task_json()
    {
        string folder = TaskFolder("pairs",
            Pairs("train.tsv", "a cat sat\ta cat was sitting\tyes", "a cat sat\tdogs bark\tno"),
            Pairs("dev.tsv", "it rains\tit is raining\tyes"),
            ("labels.txt", ["no", "yes"]),
            ("task.json", ["{\"metric\": \"f1\"}"]));

        var task = TextTask.Load(folder);

        Assert.True(task.IsPair);
        Assert.Equal([new TextExample("a cat sat", "a cat was sitting", 1), new TextExample("a cat sat", "dogs bark", 0)], task.Train);
        Assert.Equal([new TextExample("it rains", "it is raining", 1)], task.Dev);
        Assert.Empty(task.Test);
        Assert.Equal(TaskMetric.F1, task.Metric);
    }

    [Fact]
    public void Without_labels_txt_the_labels_are_those_of_train_tsv_in_ordinal_order()
    {
        string folder = TaskFolder("no-labels",
            Sentences("train.tsv", "x\tb", "y\tc", "z\ta", "w\tb"),
            Sentences("dev.tsv", "v\tc"),
            ("task.json", ["{\"metric\": \"mcc\"}"]));

        var task = TextTask.Load(folder);

        Assert.Equal(["a", "b", "c"], task.Labels);
        Assert.Equal([1, 2, 0, 1], task.Train.Select(e => e.Label));
        Assert.Equal(TaskMetric.Matthews, task.Metric);
    }

    [Fact]
    public void A_malformed_row_is_a_user_error_naming_the_file_and_its_line()
    {
        // Line 1 header, line 2 a good row, line 3 blank (skipped but counted), line 4 lacks its label.
        string folder = TaskFolder("malformed",
            Sentences("train.tsv", "fine\tpositive", "", "no label here"),
            Sentences("dev.tsv", "ok\tpositive"),
            ("labels.txt", ["negative", "positive"]));

        var error = Assert.Throws<UserInputException>(() => TextTask.Load(folder));

        Assert.Contains(Path.Combine(folder, "train.tsv") + " line 4", error.Message);
    }

    [Fact]
    public void An_empty_field_is_a_user_error_naming_its_line()
    {
        string folder = TaskFolder("empty-field",
            Sentences("train.tsv", "fine\tpositive"),
            Sentences("dev.tsv", "ok\tpositive", "\tnegative"),
            ("labels.txt", ["negative", "positive"]));

        var error = Assert.Throws<UserInputException>(() => TextTask.Load(folder));

        Assert.Contains(Path.Combine(folder, "dev.tsv") + " line 3", error.Message);
    }

    [Fact]
    public void An_empty_dev_split_is_a_user_error()
    {
        string folder = TaskFolder("no-dev",
            Sentences("train.tsv", "fine\tpositive", "dull\tnegative"),
            Sentences("dev.tsv"),
            ("labels.txt", ["negative", "positive"]));

        var error = Assert.Throws<UserInputException>(() => TextTask.Load(folder));

        Assert.Contains("dev.tsv", error.Message);
    }

    [Fact]
    public void A_missing_dev_file_is_a_user_error()
    {
        string folder = TaskFolder("no-dev-file", Sentences("train.tsv", "fine\tpositive", "dull\tnegative"));

        var error = Assert.Throws<UserInputException>(() => TextTask.Load(folder));

        Assert.Contains("dev.tsv", error.Message);
    }

    [Fact]
    public void A_label_missing_from_labels_txt_is_a_user_error_naming_the_file_line_and_label()
    {
        string folder = TaskFolder("unknown-label",
            Sentences("train.tsv", "fine\tpositive", "dull\tnegative"),
            Sentences("dev.tsv", "ok\tpositive", "meh\tneutral"),
            ("labels.txt", ["negative", "positive"]));

        var error = Assert.Throws<UserInputException>(() => TextTask.Load(folder));

        Assert.Contains(Path.Combine(folder, "dev.tsv") + " line 3", error.Message);
        Assert.Contains("'neutral'", error.Message);
    }

    [Fact]
    public void A_label_listed_twice_in_labels_txt_is_a_user_error()
    {
        string folder = TaskFolder("duplicate-label",
            Sentences("train.tsv", "fine\tpositive", "dull\tnegative"),
            Sentences("dev.tsv", "ok\tpositive"),
            ("labels.txt", ["negative", "positive", "negative"]));

        var error = Assert.Throws<UserInputException>(() => TextTask.Load(folder));

        Assert.Contains("'negative'", error.Message);
    }

    [Fact]
    public void Splits_that_disagree_on_sentence_pairs_are_a_user_error()
    {
        string folder = TaskFolder("mixed",
            Sentences("train.tsv", "fine\tpositive", "dull\tnegative"),
            Pairs("dev.tsv", "ok\tfine\tpositive"),
            ("labels.txt", ["negative", "positive"]));

        Assert.Throws<UserInputException>(() => TextTask.Load(folder));
    }

    [Fact]
    public void A_header_of_neither_two_nor_three_columns_is_a_user_error_on_line_1()
    {
        string folder = TaskFolder("bad-header",
            ("train.tsv", ["sentence", "fine"]),
            Sentences("dev.tsv", "ok\tpositive"));

        var error = Assert.Throws<UserInputException>(() => TextTask.Load(folder));

        Assert.Contains(Path.Combine(folder, "train.tsv") + " line 1", error.Message);
    }

    [Fact]
    public void A_file_without_a_header_is_a_user_error_rather_than_losing_its_first_example()
    {
        string folder = TaskFolder("no-header",
            ("train.tsv", ["fine\tpositive", "dull\tnegative"]),
            Sentences("dev.tsv", "ok\tpositive"));

        var error = Assert.Throws<UserInputException>(() => TextTask.Load(folder));

        Assert.Contains(Path.Combine(folder, "train.tsv") + " line 1", error.Message);
    }

    [Fact]
    public void An_unknown_or_malformed_metric_in_task_json_is_a_user_error()
    {
        string unknown = TaskFolder("unknown-metric",
            Sentences("train.tsv", "fine\tpositive", "dull\tnegative"),
            Sentences("dev.tsv", "ok\tpositive"),
            ("task.json", ["{\"metric\": \"bleu\"}"]));
        string malformed = TaskFolder("malformed-metric",
            Sentences("train.tsv", "fine\tpositive", "dull\tnegative"),
            Sentences("dev.tsv", "ok\tpositive"),
            ("task.json", ["{\"metric\": "]));

        Assert.Contains("bleu", Assert.Throws<UserInputException>(() => TextTask.Load(unknown)).Message);
        Assert.Contains("task.json", Assert.Throws<UserInputException>(() => TextTask.Load(malformed)).Message);
    }

    [Fact]
    public void A_missing_task_folder_is_a_user_error() =>
        Assert.Throws<UserInputException>(() => TextTask.Load(Path.Combine(root, "nowhere")));
}
