namespace Ose.Reporting;

/// <summary>The folder a run writes to: its checkpoints, trial store and outputs.</summary>
public sealed class RunDirectory
{
    private RunDirectory(string path) => Path = path;

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>Creates the folder if needed and proves it writable before any work is spent.</summary>
    public static RunDirectory Prepare(string path)
    {
        try
        {
            Directory.CreateDirectory(path);
            string probe = System.IO.Path.Combine(path, $".probe-{Guid.NewGuid():N}");
            System.IO.File.WriteAllText(probe, "");
            System.IO.File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            throw new UserInputException($"cannot write to folder {path}: {Reason(path, e)}");
        }
        return new RunDirectory(System.IO.Path.GetFullPath(path));
    }

    private static string Reason(string path, Exception e)
    {
        for (string? folder = System.IO.Path.GetFullPath(path); folder is not null; folder = System.IO.Path.GetDirectoryName(folder))
            if (System.IO.File.Exists(folder)) return $"{folder} is a file, not a folder";
        return e is UnauthorizedAccessException ? "permission denied" : IO.CrashSafe.PublicNames(e.Message);
    }
}
