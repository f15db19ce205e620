namespace Ose.Reporting;

/// <summary>
/// Writes a file so that readers see either the old file or the whole new one, never half of it:
/// write a temporary file beside it, then rename over the target.
/// </summary>
public static class AtomicFile
{
    public static void Write(string path, Action<string> writeTo)
    {
        string directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        // Same directory (a rename within one file system) and same extension (writers that infer the format).
        string temporary = Path.Combine(directory, $".{Path.GetFileNameWithoutExtension(path)}.{Guid.NewGuid():N}.tmp{Path.GetExtension(path)}");
        try
        {
            writeTo(temporary);
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
    }

    public static void WriteText(string path, string text) => Write(path, temporary => File.WriteAllText(temporary, text));
}
