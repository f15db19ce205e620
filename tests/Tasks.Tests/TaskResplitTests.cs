using System.Globalization;

namespace Ose.Tasks.Tests;

public sealed class TaskResplitTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("ose-resplit-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    /// <summary>A two-class task whose every sentence is unique: "split k".</summary>
    private string Task(int train, int dev, int test)
    {
        string folder = Path.Combine(root, "task");
        Directory.CreateDirectory(folder);
        void Split(string name, int count) => File.WriteAllLines(Path.Combine(folder, $"{name}.tsv"),
            ["sentence\tlabel", .. Enumerable.Range(0, count).Select(k => string.Create(CultureInfo.InvariantCulture, $"{name} {k}\t{(k % 2 == 0 ? "yes" : "no")}"))]);
        Split("train", train);
        Split("dev", dev);
        Split("test", test);
        File.WriteAllLines(Path.Combine(folder, "labels.txt"), ["yes", "no"]);
        return folder;
    }

    [Fact]
    public void Splits_too_small_are_topped_up_from_train_and_no_sentence_lands_in_two_splits()
    {
        string source = Task(train: 80, dev: 10, test: 10);
        string output = Path.Combine(root, "out");

        var outcome = TaskResplit.Write(source, devSize: 20, testSize: 30, seed: 3, output);

        var task = TextTask.Load(output);
        Assert.Equal((50, 20, 30, 30), (task.Train.Count, task.Dev.Count, task.Test.Count, outcome.MovedFromTrain));
        Assert.Equal(["yes", "no"], task.Labels);
        var all = task.Train.Concat(task.Dev).Concat(task.Test).Select(e => e.Text).ToArray();
        Assert.Equal(100, all.Distinct().Count());
        // Every original dev and test sentence stays in its split; the rest came from train.
        Assert.Equal(10, task.Dev.Count(e => e.Text.StartsWith("dev ", StringComparison.Ordinal)));
        Assert.Equal(10, task.Test.Count(e => e.Text.StartsWith("test ", StringComparison.Ordinal)));
        Assert.All(task.Train, e => Assert.StartsWith("train ", e.Text));
    }

    [Fact]
    public void Splits_large_enough_keep_a_sample_of_their_own_examples_and_train_is_untouched()
    {
        string source = Task(train: 50, dev: 40, test: 40);
        string output = Path.Combine(root, "out");

        TaskResplit.Write(source, devSize: 15, testSize: 25, seed: 0, output);

        var task = TextTask.Load(output);
        Assert.Equal(50, task.Train.Count);
        Assert.All(task.Dev, e => Assert.StartsWith("dev ", e.Text));
        Assert.All(task.Test, e => Assert.StartsWith("test ", e.Text));
        Assert.Equal(15, task.Dev.Select(e => e.Text).Distinct().Count());
    }

    [Fact]
    public void The_same_seed_writes_the_same_task_and_another_seed_another()
    {
        string source = Task(train: 60, dev: 5, test: 5);
        string Write(string name, long seed)
        {
            string output = Path.Combine(root, name);
            TaskResplit.Write(source, 10, 10, seed, output);
            return File.ReadAllText(Path.Combine(output, "test.tsv"));
        }

        Assert.Equal(Write("a", 1), Write("b", 1));
        Assert.NotEqual(Write("c", 1), Write("d", 2));
    }

    [Fact]
    public void Asking_for_more_than_the_task_holds_is_one_user_error()
    {
        string source = Task(train: 10, dev: 2, test: 2);

        var error = Assert.Throws<UserInputException>(() => TaskResplit.Write(source, 5, 8, 0, Path.Combine(root, "out")));
        Assert.Contains("too few", error.Message);
        Assert.False(Directory.Exists(Path.Combine(root, "out")));
    }
}
