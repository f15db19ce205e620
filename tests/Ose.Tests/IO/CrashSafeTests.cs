using Ose.IO;

namespace Ose.Tests.IO;

/// <summary>
/// A kill at any step of a save leaves the old content or the new one behind the name, never neither. Each test stops a
/// save at one step by copying the directory exactly as it is there (what a kill -9 would leave: no finally block, no
/// clean-up), then lets the next run settle it and reads what a reader would find.
/// </summary>
public sealed class CrashSafeTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("ose-crashsafe-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    private string Live => Path.Combine(root, "live");
    private string Killed => Path.Combine(root, "killed");

    /// <summary>The live directory as a kill at this moment would leave it.</summary>
    private void Snapshot()
    {
        if (Directory.Exists(Killed)) Directory.Delete(Killed, recursive: true);
        foreach (string from in Directory.EnumerateFileSystemEntries(Live, "*", SearchOption.AllDirectories).Order())
        {
            string to = Path.Combine(Killed, Path.GetRelativePath(Live, from));
            if (Directory.Exists(from)) Directory.CreateDirectory(to);
            else
            {
                Directory.CreateDirectory(Path.GetDirectoryName(to)!);
                File.Copy(from, to);
            }
        }
        Directory.CreateDirectory(Killed);
    }

    private static void Fill(string folder, string version)
    {
        File.WriteAllText(Path.Combine(folder, "weights.bin"), version + " weights");
        Directory.CreateDirectory(Path.Combine(folder, "inner"));
        File.WriteAllText(Path.Combine(folder, "inner", "config.json"), version + " config");
    }

    /// <summary>The folder's version, read as a reader reads it (after settling), or null when there is none.</summary>
    private static string? FolderVersion(string folder)
    {
        CrashSafe.Settle(folder);
        if (!Directory.Exists(folder)) return null;
        string weights = File.ReadAllText(Path.Combine(folder, "weights.bin")), config = File.ReadAllText(Path.Combine(folder, "inner", "config.json"));
        Assert.Equal(weights.Split(' ')[0], config.Split(' ')[0]);   // never half of one and half of the other
        return weights.Split(' ')[0];
    }

    [Theory]
    [InlineData(nameof(CrashSafe.Step.StagingFilled))]
    [InlineData(nameof(CrashSafe.Step.OldMovedAside))]
    [InlineData(nameof(CrashSafe.Step.NewMovedIn))]
    public void A_folder_replace_killed_at_any_step_leaves_the_old_or_the_new_folder_and_no_litter(string step)
    {
        var killedAt = Enum.Parse<CrashSafe.Step>(step);
        Directory.CreateDirectory(Live);
        string model = Path.Combine(Live, "model");
        CrashSafe.WriteFolder(model, staging => Fill(staging, "old"));

        CrashSafe.WriteFolder(model, staging => Fill(staging, "new"), step => { if (step == killedAt) Snapshot(); });

        string? version = FolderVersion(Path.Combine(Killed, "model"));
        Assert.Contains(version, new[] { "old", "new" });
        Assert.Equal(killedAt == CrashSafe.Step.NewMovedIn ? "new" : "old", version);
        Assert.Equal(["model"], Directory.GetFileSystemEntries(Killed).Select(Path.GetFileName));
        Assert.Equal("new", FolderVersion(model));
        Assert.Equal(["model"], Directory.GetFileSystemEntries(Live).Select(Path.GetFileName));
    }

    [Fact]
    public void A_folder_fill_killed_half_way_leaves_the_old_folder()
    {
        Directory.CreateDirectory(Live);
        string model = Path.Combine(Live, "model");
        CrashSafe.WriteFolder(model, staging => Fill(staging, "old"));

        Assert.Throws<IOException>(() => CrashSafe.WriteFolder(model, staging =>
        {
            File.WriteAllText(Path.Combine(staging, "weights.bin"), "new weights");
            Snapshot();
            throw new IOException("disk full");
        }));

        Assert.Equal("old", FolderVersion(Path.Combine(Killed, "model")));
        Assert.Equal("old", FolderVersion(model));
        Assert.Equal(["model"], Directory.GetFileSystemEntries(Live).Select(Path.GetFileName));
    }

    [Fact]
    public void A_first_save_killed_before_its_rename_leaves_no_folder_rather_than_a_partial_one()
    {
        Directory.CreateDirectory(Live);
        string model = Path.Combine(Live, "model");

        CrashSafe.WriteFolder(model, staging => Fill(staging, "new"), step => { if (step == CrashSafe.Step.OldMovedAside) Snapshot(); });

        Assert.Null(FolderVersion(Path.Combine(Killed, "model")));
        Assert.Empty(Directory.GetFileSystemEntries(Killed));
    }

    [Theory]
    [InlineData(nameof(CrashSafe.Step.TemporaryWritten), "old")]
    [InlineData(nameof(CrashSafe.Step.FileMovedIn), "new")]
    public void A_file_write_killed_at_any_step_leaves_the_old_or_the_new_file(string step, string expected)
    {
        var killedAt = Enum.Parse<CrashSafe.Step>(step);
        Directory.CreateDirectory(Live);
        string file = Path.Combine(Live, "search.json");
        CrashSafe.WriteText(file, "old");

        CrashSafe.WriteFile(file, temporary => File.WriteAllText(temporary, "new"), step => { if (step == killedAt) Snapshot(); });

        string killed = Path.Combine(Killed, "search.json");
        CrashSafe.Settle(killed);
        Assert.Equal(expected, File.ReadAllText(killed));
        Assert.Equal(["search.json"], Directory.GetFileSystemEntries(Killed).Select(Path.GetFileName));
        Assert.Equal("new", File.ReadAllText(file));
    }

    [Fact]
    public void A_writer_that_fails_leaves_the_old_file_and_no_temporary()
    {
        Directory.CreateDirectory(Live);
        string file = Path.Combine(Live, "front.csv");
        CrashSafe.WriteText(file, "old");

        Assert.Throws<InvalidOperationException>(() => CrashSafe.WriteFile(file, temporary =>
        {
            File.WriteAllText(temporary, "half");
            throw new InvalidOperationException("writer bug");
        }));

        Assert.Equal("old", File.ReadAllText(file));
        Assert.Equal(["front.csv"], Directory.GetFileSystemEntries(Live).Select(Path.GetFileName));
    }
}
