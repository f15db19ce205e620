using System.Runtime.InteropServices;

namespace Ose.IO;

/// <summary>
/// The one way anything here is saved, so that a kill or a power cut at any moment leaves the old content or the whole
/// new content behind a name, never neither and never a torn file.
/// <list type="bullet">
/// <item>A file: written to a temporary name in the same directory, fsynced, renamed over the target, and the directory
/// fsynced (a rename is durable only once its directory is).</item>
/// <item>A folder: filled under a staging name and fsynced; then the old folder is renamed aside, the new one renamed
/// into place, the parent fsynced, and the old one removed last. A kill between the two renames leaves the old folder
/// under its aside name: <see cref="Settle"/> (called before every replace and by every reader) puts it back.</item>
/// </list>
/// Staging and aside names start with a dot and carry a random suffix; <see cref="Settle"/> removes those a killed
/// writer left behind.
/// </summary>
public static class CrashSafe
{
    /// <summary>The steps of a folder replace, named so a test can inject a fault after each.</summary>
    internal enum Step { TemporaryWritten, FileMovedIn, StagingFilled, OldMovedAside, NewMovedIn }

    /// <summary>Writes a file through <paramref name="writeTo"/>, which receives the temporary path to write.</summary>
    public static void WriteFile(string path, Action<string> writeTo) => WriteFile(path, writeTo, fault: null);

    internal static void WriteFile(string path, Action<string> writeTo, Action<Step>? fault)
    {
        string full = Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(full)!;
        // Same directory (a rename within one file system) and same extension (writers that infer the format from it).
        string temporary = Path.Combine(directory,
            $".{Path.GetFileNameWithoutExtension(full)}.{Guid.NewGuid():N}{TemporaryMarker}{Path.GetExtension(full)}");
        Settle(full);
        try
        {
            writeTo(temporary);
            FlushToDisk(temporary);
            fault?.Invoke(Step.TemporaryWritten);
            File.Move(temporary, full, overwrite: true);
            FlushToDisk(directory);
            fault?.Invoke(Step.FileMovedIn);
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
    }

    public static void WriteText(string path, string text) => WriteFile(path, temporary => File.WriteAllText(temporary, text));

    public static void WriteBytes(string path, byte[] bytes) => WriteFile(path, temporary => File.WriteAllBytes(temporary, bytes));

    /// <summary>Replaces (or creates) folder <paramref name="path"/> with what <paramref name="fill"/> writes into the staging folder it receives.</summary>
    public static void WriteFolder(string path, Action<string> fill) => WriteFolder(path, fill, fault: null);

    internal static void WriteFolder(string path, Action<string> fill, Action<Step>? fault)
    {
        string full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        string parent = Path.GetDirectoryName(full)!;
        string name = Path.GetFileName(full);
        Directory.CreateDirectory(parent);
        Settle(full);
        string staging = Path.Combine(parent, $".{name}.{Guid.NewGuid():N}{StagingMarker}");
        string aside = Path.Combine(parent, $".{name}.{DateTime.UtcNow.Ticks:D19}{AsideMarker}");
        try
        {
            Directory.CreateDirectory(staging);
            fill(staging);
            FlushTree(staging);
            fault?.Invoke(Step.StagingFilled);
            bool replacing = Directory.Exists(full);
            if (replacing) Directory.Move(full, aside);
            fault?.Invoke(Step.OldMovedAside);
            Directory.Move(staging, full);
            FlushToDisk(parent);
            fault?.Invoke(Step.NewMovedIn);
            if (replacing) Directory.Delete(aside, recursive: true);
        }
        finally
        {
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        }
    }

    /// <summary>
    /// Finishes what a killed writer left of <paramref name="path"/>: a folder moved aside and not replaced is put back,
    /// and staging files and folders, and asides of a completed replace, are removed.
    /// </summary>
    public static void Settle(string path)
    {
        string full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        string parent = Path.GetDirectoryName(full)!;
        if (!Directory.Exists(parent)) return;
        string name = Path.GetFileName(full);
        string stem = Path.GetFileNameWithoutExtension(full);
        var asides = Directory.GetDirectories(parent, $".{name}.*{AsideMarker}").Order(StringComparer.Ordinal).ToList();
        if (!Directory.Exists(full) && !File.Exists(full) && asides.Count > 0)
        {
            // The newest aside is the content the interrupted replace was about to supersede.
            Directory.Move(asides[^1], full);
            asides.RemoveAt(asides.Count - 1);
            FlushToDisk(parent);
        }
        foreach (string aside in asides) Directory.Delete(aside, recursive: true);
        foreach (string staging in Directory.GetDirectories(parent, $".{name}.*{StagingMarker}")) Directory.Delete(staging, recursive: true);
        foreach (string temporary in Directory.GetFiles(parent, $".{stem}.*{TemporaryMarker}{Path.GetExtension(full)}")) File.Delete(temporary);
    }

    private const string TemporaryMarker = ".tmp";
    private const string StagingMarker = ".staging";
    private const string AsideMarker = ".aside";

    private static void FlushTree(string folder)
    {
        foreach (string file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)) FlushToDisk(file);
        foreach (string directory in Directory.EnumerateDirectories(folder, "*", SearchOption.AllDirectories)) FlushToDisk(directory);
        FlushToDisk(folder);
    }

    /// <summary>fsync(2) of a file or a directory (.NET has no way to open a directory to flush it).</summary>
    private static void FlushToDisk(string path)
    {
        int descriptor = Open(path, OpenReadOnly);
        if (descriptor < 0) throw new IOException($"cannot open {path} to flush it: {Marshal.GetLastPInvokeErrorMessage()}");
        try
        {
            if (Fsync(descriptor) != 0) throw new IOException($"cannot flush {path} to disk: {Marshal.GetLastPInvokeErrorMessage()}");
        }
        finally
        {
            _ = Close(descriptor);
        }
    }

    private const int OpenReadOnly = 0;

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static extern int Fsync(int descriptor);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    private static extern int Close(int descriptor);
}
