namespace Ose.Tasks.Data;

/// <summary>
/// Where `ose data prepare` writes and everything else reads: <c>--data DIR</c>, else <c>$OSE_DATA</c>, else
/// <c>~/.cache/ose</c>. Layout: <c>vocab.txt</c>, <c>corpus/{train,dev}.txt</c> (one sentence a line),
/// <c>tasks/NAME/{train,dev,test}.tsv</c> (GLUE style, <c>sentence\tlabel</c>; the slot task SLOTS as
/// <see cref="FineTuning.SlotTask"/> lays it out), <c>LICENSES/</c>, <c>manifest.json</c>.
/// </summary>
public sealed class DataDirectory(string root)
{
    public string Root { get; } = Path.GetFullPath(root);

    public string Vocabulary => Path.Combine(Root, "vocab.txt");

    public string CorpusTrain => Path.Combine(Root, "corpus", "train.txt");

    public string CorpusDev => Path.Combine(Root, "corpus", "dev.txt");

    public string Manifest => Path.Combine(Root, "manifest.json");

    public string Task(string name) => Path.Combine(Root, "tasks", name);

    /// <summary>The folder of a task named by the user: a folder, or a task of the prepared data (SENT, SLOTS, ...).</summary>
    public string TaskFolder(string nameOrPath)
    {
        if (Directory.Exists(nameOrPath)) return nameOrPath;
        if (nameOrPath.Contains('/') || !Directory.Exists(Task(nameOrPath)))
            throw new UserInputException($"task '{nameOrPath}' not found as a folder nor in {Root}/tasks; run `ose data prepare` first");
        return Task(nameOrPath);
    }

    public static DataDirectory Resolve(string? path)
    {
        if (path is not null) return new DataDirectory(path);
        string? fromEnvironment = Environment.GetEnvironmentVariable("OSE_DATA");
        return new DataDirectory(string.IsNullOrEmpty(fromEnvironment)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "ose")
            : fromEnvironment);
    }

    /// <summary>Fails with the one line a user needs when the pretraining data has not been prepared.</summary>
    public void RequirePretrainingData()
    {
        foreach (string file in new[] { Vocabulary, CorpusTrain, CorpusDev })
            if (!File.Exists(file))
                throw new UserInputException($"{file} is missing: run `ose data prepare` first (data directory {Root})");
    }
}
