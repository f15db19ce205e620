using Ose.Models.FineTuning;
using Xunit;

namespace Ose.Models.Tests.FineTuning;

public sealed class TextTaskTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("ose-task-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private void Write(string file, params string[] lines) => File.WriteAllLines(Path.Combine(folder, file), lines);

    [Fact]
    public void A_single_sentence_task_loads_its_splits_labels_and_metric()
    {
        Write("train.tsv", "sentence\tlabel", "good film\tpos", "bad film\tneg", "", "fine film\tpos");
        Write("dev.tsv", "sentence\tlabel", "great\tpos");
        Write("test.tsv", "sentence\tlabel", "awful\tneg");
        Write("labels.txt", "neg", "pos");
        Write("task.json", "{\"metric\": \"matthews\"}");

        var task = TextTask.Load(folder);

        Assert.False(task.IsPair);
        Assert.Equal(["neg", "pos"], task.Labels);
        Assert.Equal(TaskMetric.Matthews, task.Metric);
        Assert.Equal([new TextExample("good film", null, 1), new TextExample("bad film", null, 0), new TextExample("fine film", null, 1)], task.Train);
        Assert.Equal([new TextExample("awful", null, 0)], task.Test);
    }

    [Fact]
    public void A_pair_task_without_labels_file_or_test_split_takes_train_labels_in_order_and_accuracy()
    {
        Write("train.tsv", "sentence1\tsentence2\tlabel", "a cat\ta feline\tsame", "a cat\ta car\tdifferent");
        Write("dev.tsv", "sentence1\tsentence2\tlabel", "a dog\ta hound\tsame");

        var task = TextTask.Load(folder);

        Assert.True(task.IsPair);
        Assert.Equal(["different", "same"], task.Labels);
        Assert.Equal(TaskMetric.Accuracy, task.Metric);
        Assert.Equal(new TextExample("a dog", "a hound", 1), task.Dev.Single());
        Assert.Empty(task.Test);
    }

    [Fact]
    public void A_malformed_row_is_a_user_error_naming_its_file_and_line()
    {
        Write("train.tsv", "sentence\tlabel", "good\tpos", "bad\tneg", "no label here");
        Write("dev.tsv", "sentence\tlabel", "great\tpos");

        var error = Assert.Throws<UserInputException>(() => TextTask.Load(folder));
        Assert.Contains("train.tsv line 4", error.Message);
    }

    [Fact]
    public void An_empty_dev_split_is_a_user_error()
    {
        Write("train.tsv", "sentence\tlabel", "good\tpos", "bad\tneg");
        Write("dev.tsv", "sentence\tlabel");

        Assert.Contains("dev.tsv has no examples", Assert.Throws<UserInputException>(() => TextTask.Load(folder)).Message);
    }

    [Fact]
    public void A_label_outside_labels_txt_is_a_user_error_naming_its_line()
    {
        Write("train.tsv", "sentence\tlabel", "good\tpos", "bad\tneg");
        Write("dev.tsv", "sentence\tlabel", "great\tpos", "meh\tneutral");
        Write("labels.txt", "neg", "pos");

        var error = Assert.Throws<UserInputException>(() => TextTask.Load(folder));
        Assert.Contains("dev.tsv line 3: label 'neutral'", error.Message);
    }

    [Fact]
    public void Splits_that_disagree_on_pairs_and_unknown_metrics_are_user_errors()
    {
        Write("train.tsv", "sentence\tlabel", "good\tpos", "bad\tneg");
        Write("dev.tsv", "sentence1\tsentence2\tlabel", "a\tb\tpos");
        Assert.Throws<UserInputException>(() => TextTask.Load(folder));

        Write("dev.tsv", "sentence\tlabel", "great\tpos");
        Write("task.json", "{\"metric\": \"bleu\"}");
        Assert.Contains("unknown metric 'bleu'", Assert.Throws<UserInputException>(() => TextTask.Load(folder)).Message);
    }
}
