using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Ose.IO;

namespace Ose.Tests.IO;

/// <summary>
/// What a killed run leaves anywhere under its folder (staging folders, temporaries, asides, in nested checkpoint
/// folders) is settled by one call at the next start, and no error message ever shows those internal names.
/// </summary>
public sealed class SettleTreeTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("ose-settle-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    /// <summary>Runs <paramref name="write"/> and returns the litter names present at <paramref name="killedAt"/> (what kill -9 there leaves).</summary>
    private static List<string> LitterAt(CrashSafe.Step killedAt, string folder, Action<Action<CrashSafe.Step>> write)
    {
        var seen = new List<string>();
        write(step =>
        {
            if (step == killedAt)
                seen.AddRange(Directory.EnumerateFileSystemEntries(folder, ".*", SearchOption.AllDirectories));
        });
        return seen;
    }

    [Fact]
    public void Litter_of_killed_writes_in_nested_folders_is_removed_and_an_aside_is_put_back()
    {
        string nested = Path.Combine(root, "training", "2-2-32-64", "theta-0");
        Directory.CreateDirectory(nested);
        string checkpoint = Path.Combine(nested, "checkpoint");
        CrashSafe.WriteFolder(checkpoint, staging => File.WriteAllText(Path.Combine(staging, "model.bin"), "old"));
        // Litter as kill -9 leaves it: a staging folder and a temporary file at two depths, and a checkpoint moved aside
        // and not yet replaced.
        Directory.CreateDirectory(Path.Combine(nested, $".checkpoint.{Guid.NewGuid():N}.staging", "inner"));
        File.WriteAllText(Path.Combine(root, $".rounds.{Guid.NewGuid():N}.tmp.csv"), "half");
        File.WriteAllText(Path.Combine(nested, $".losses.{Guid.NewGuid():N}.tmp.json"), "half");
        File.WriteAllText(Path.Combine(root, $".probe-{Guid.NewGuid():N}"), "");
        Directory.Move(checkpoint, Path.Combine(nested, $".checkpoint.{DateTime.UtcNow.Ticks:D19}.aside"));
        File.WriteAllText(Path.Combine(root, ".keep-me"), "not ours");

        int found = CrashSafe.SettleTree(root);

        Assert.Equal(5, found);
        Assert.Equal([".keep-me", "training"], Directory.GetFileSystemEntries(root).Select(Path.GetFileName).Order());
        Assert.Equal(["checkpoint"], Directory.GetFileSystemEntries(nested).Select(Path.GetFileName));
        Assert.Equal("old", File.ReadAllText(Path.Combine(checkpoint, "model.bin")));
        Assert.Equal(0, CrashSafe.SettleTree(root));
    }

    private static Arbitrary<string> Names =>
        (from stem in Gen.Elements("model", "checkpoint", "rounds", "front", "a-b_c", "trials", "x1").ArrayOf(1)
         from extension in Gen.Elements("", ".csv", ".json", ".sqlite", ".tar.gz")
         select stem[0] + extension).ToArbitrary();

    [Property(MaxTest = 30)]
    public Property Every_internal_name_a_write_uses_reads_as_its_target_in_messages() =>
        Prop.ForAll(Names, name =>
        {
            string folder = Directory.CreateTempSubdirectory("ose-names-").FullName;
            try
            {
                string target = Path.Combine(folder, "run", name);
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                var names = LitterAt(CrashSafe.Step.TemporaryWritten, folder, fault => CrashSafe.WriteFile(target, t => File.WriteAllText(t, "x"), fault))
                    .Concat(LitterAt(CrashSafe.Step.StagingFilled, folder, fault => CrashSafe.WriteFolder(target + "-folder", s => { }, fault)))
                    .Concat(LitterAt(CrashSafe.Step.OldMovedAside, folder, fault => CrashSafe.WriteFolder(target + "-folder", s => { }, fault)))
                    .ToList();
                return names.Count == 4   // a temporary, a staging folder, then an aside beside the next staging folder
                    && names.All(n => CrashSafe.PublicNames($"cannot write '{n}/config.json': disk full") is var message
                        && (message == $"cannot write '{target}/config.json': disk full" || message == $"cannot write '{target}-folder/config.json': disk full"));
            }
            finally
            {
                Directory.Delete(folder, recursive: true);
            }
        });
}
