using Ose.IO;
using Ose.Reporting;

namespace Ose.Runs;

/// <summary>
/// A run folder held by this process for the length of a run: locked against a second process (<see cref="FolderLock"/>),
/// cleared of what a killed writer left (<see cref="CrashSafe.SettleTree"/>), and bound to the options that shape its
/// results (<see cref="RunOptions"/>). Released on dispose; a claim that left nothing but its own record behind (a run
/// refused for bad input before it wrote anything) removes the record, and the folder if the claim created it.
/// </summary>
public sealed class RunFolder : IDisposable
{
    private readonly FolderLock folderLock;
    private readonly string? firstCreated;
    private readonly bool wroteRecord;

    private RunFolder(string path, FolderLock folderLock, string? firstCreated, bool wroteRecord)
    {
        Path = path;
        this.folderLock = folderLock;
        this.firstCreated = firstCreated;
        this.wroteRecord = wroteRecord;
    }

    public string Path { get; }

    /// <param name="options">What shapes the results; null for a run that keeps its own identity (a study).</param>
    /// <param name="restart">Discard what the folder holds and start again (<c>--force-restart</c>).</param>
    public static RunFolder Claim(string path, RunOptions? options, bool restart)
    {
        string? firstCreated = FirstMissing(Full(path));
        string full = RunDirectory.Prepare(path).Path;
        var held = FolderLock.Acquire(full);
        try
        {
            CrashSafe.SettleTree(full);
            var recorded = RunOptions.Read(full);
            if (restart)
            {
                if (recorded is null && Entries(full).Any())
                    throw new UserInputException($"--force-restart: {path} holds files that no recorded run wrote; it is left as it is: use another --out");
                foreach (string entry in Entries(full))
                    if (Directory.Exists(entry)) Directory.Delete(entry, recursive: true);
                    else File.Delete(entry);
                recorded = null;
            }
            else if (options is not null && recorded is not null && options.DifferenceFrom(recorded) is { } difference)
                throw new UserInputException($"{path}: {difference}: run with --force-restart to start it again, or use another --out");
            bool write = options is not null && recorded is null;
            if (write) options!.Write(full);
            return new RunFolder(full, held, firstCreated, wroteRecord: write);
        }
        catch
        {
            held.Dispose();
            if (firstCreated is not null && !Entries(full).Any()) RemoveCreated(full, firstCreated);
            throw;
        }
    }

    /// <summary>
    /// Refuses an output folder that is one of the run's inputs or holds one: the run would overwrite it, and
    /// <c>--force-restart</c> would delete it.
    /// </summary>
    public static void RefuseInputs(string outPath, IEnumerable<(string Option, string? Path)> inputs)
    {
        string output = Full(outPath);
        foreach (var (option, input) in inputs)
        {
            if (input is null) continue;
            string inputPath = Full(input);
            if (inputPath == output)
                throw new UserInputException($"--out {outPath} is the {option} it reads: choose another folder");
            if (inputPath.StartsWith(output + System.IO.Path.DirectorySeparatorChar, StringComparison.Ordinal))
                throw new UserInputException($"--out {outPath} holds the {option} it reads ({input}): choose another folder");
        }
    }

    public void Dispose()
    {
        bool leftNothing = !Entries(Path).Any(entry => !(wroteRecord && System.IO.Path.GetFileName(entry) == RunOptions.FileName));
        if (leftNothing && wroteRecord) File.Delete(System.IO.Path.Combine(Path, RunOptions.FileName));
        folderLock.Dispose();
        if (leftNothing && firstCreated is not null) RemoveCreated(Path, firstCreated);
    }

    /// <summary>What the folder holds besides its lock.</summary>
    private static IEnumerable<string> Entries(string folder) =>
        Directory.EnumerateFileSystemEntries(folder).Where(entry => System.IO.Path.GetFileName(entry) != FolderLock.FileName);

    /// <summary>The outermost folder of <paramref name="path"/> that does not exist yet, or null when it exists.</summary>
    private static string? FirstMissing(string path)
    {
        string? missing = null;
        for (string? folder = path; folder is not null && !Directory.Exists(folder); folder = System.IO.Path.GetDirectoryName(folder))
            missing = folder;
        return missing;
    }

    /// <summary>Removes <paramref name="folder"/> (holding nothing but its lock) and the empty parents this claim created.</summary>
    private static void RemoveCreated(string folder, string firstCreated)
    {
        File.Delete(System.IO.Path.Combine(folder, FolderLock.FileName));
        for (string? current = folder; current is not null && current.Length >= firstCreated.Length; current = System.IO.Path.GetDirectoryName(current))
        {
            if (Directory.EnumerateFileSystemEntries(current).Any()) return;
            Directory.Delete(current);
        }
    }

    private static string Full(string path) => System.IO.Path.TrimEndingDirectorySeparator(System.IO.Path.GetFullPath(path));
}
