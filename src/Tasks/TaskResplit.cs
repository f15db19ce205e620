using System.Globalization;
using Ose.IO;

namespace Ose.Tasks;

/// <summary>What a re-split wrote: examples per split.</summary>
public sealed record ResplitOutcome(int Train, int Dev, int Test, int MovedFromTrain);

/// <summary>
/// A task folder with larger dev and test splits, for comparisons that must resolve a few points (SENT's 100 test
/// sentences give a standard error of 5 points per accuracy). Each split keeps a seeded sample of its own examples
/// when it has enough; a split that has too few is topped up with training examples, drawn at random and removed from
/// train, so no example is in two splits and a model trained on the new train never saw the new dev or test. Rows are
/// copied as they are (any task kind), with the labels and slot files beside them.
/// </summary>
public static class TaskResplit
{
    private static readonly string[] CopiedFiles = [TaskFiles.LabelsFile, SlotTask.SlotsFile];

    public static ResplitOutcome Write(string taskFolder, int devSize, int testSize, long seed, string outFolder)
    {
        TaskFiles.RequireFolder(taskFolder);
        if (devSize < 1 || testSize < 1) throw new UserInputException($"dev and test sizes must be positive, got {devSize} and {testSize}");
        var (header, train) = Rows(taskFolder, "train.tsv");
        var (_, dev) = Rows(taskFolder, "dev.tsv");
        var test = File.Exists(Path.Combine(taskFolder, "test.tsv")) ? Rows(taskFolder, "test.tsv").Rows : [];
        var random = new Random(unchecked((int)seed));
        random.Shuffle(train);
        int needed = Math.Max(0, devSize - dev.Length) + Math.Max(0, testSize - test.Length);
        if (train.Length - needed < 2)
            throw new UserInputException(string.Create(CultureInfo.InvariantCulture,
                $"{taskFolder} has {train.Length + dev.Length + test.Length} examples: too few for {devSize} dev and {testSize} test with training examples left"));
        int taken = 0;
        string[] Resize(string[] split, int size)
        {
            if (split.Length >= size)
            {
                random.Shuffle(split);
                return split[..size];
            }
            int missing = size - split.Length;
            var topped = split.Concat(train.Skip(taken).Take(missing)).ToArray();
            taken += missing;
            return topped;
        }
        var newDev = Resize(dev, devSize);
        var newTest = Resize(test, testSize);
        var newTrain = train[taken..];
        CrashSafe.WriteFolder(outFolder, staging =>
        {
            File.WriteAllLines(Path.Combine(staging, "train.tsv"), [header, .. newTrain]);
            File.WriteAllLines(Path.Combine(staging, "dev.tsv"), [header, .. newDev]);
            File.WriteAllLines(Path.Combine(staging, "test.tsv"), [header, .. newTest]);
            foreach (string file in CopiedFiles.Where(f => File.Exists(Path.Combine(taskFolder, f))))
                File.Copy(Path.Combine(taskFolder, file), Path.Combine(staging, file));
        });
        return new ResplitOutcome(newTrain.Length, newDev.Length, newTest.Length, taken);
    }

    private static (string Header, string[] Rows) Rows(string folder, string file)
    {
        string path = Path.Combine(folder, file);
        if (!File.Exists(path)) throw new UserInputException($"{folder} has no {file}");
        var lines = TaskFiles.ReadUtf8Lines(path);
        if (lines.Length == 0) throw new UserInputException($"{path} is empty: expected a header line");
        return (lines[0], lines[1..].Where(l => l.Length > 0).ToArray());
    }
}
