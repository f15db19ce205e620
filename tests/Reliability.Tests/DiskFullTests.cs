using System.Diagnostics;
using Xunit.Abstractions;

namespace Ose.Reliability.Tests;

/// <summary>
/// A test that needs a real full file system: a small tmpfs mounted in a private mount namespace (unshare -m, as root or
/// through a user namespace). Where neither is allowed it is skipped, saying why; FailureMappingTests then still check,
/// in process, what a real ENOSPC and a real SQLite "database or disk is full" become.
/// </summary>
public sealed class TmpfsFactAttribute : FactAttribute
{
    public TmpfsFactAttribute()
    {
        if (Tmpfs.Unshare is null) Skip = "cannot mount a tmpfs here (unshare -m and unshare -Urm both refused): disk-full runs are checked in process only";
    }
}

/// <summary>Runs a shell script in a private mount namespace where it may mount a tmpfs.</summary>
internal static class Tmpfs
{
    /// <summary>The unshare arguments that allow a mount here, or null.</summary>
    public static readonly string[]? Unshare = Probe();

    private static string[]? Probe()
    {
        string point = Directory.CreateTempSubdirectory("ose-tmpfs-probe-").FullName;
        try
        {
            foreach (string[] prefix in new[] { new[] { "-m" }, new[] { "-Urm" } })
                if (Run(prefix, $"mount -t tmpfs -o size=64k tmpfs '{point}' && umount '{point}'").ExitCode == 0) return prefix;
            return null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;   // no unshare at all
        }
        finally
        {
            Directory.Delete(point);
        }
    }

    public static (int ExitCode, string Output) Run(string[] unshare, string script)
    {
        var start = new ProcessStartInfo("unshare") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in unshare) start.ArgumentList.Add(argument);
        foreach (string argument in new[] { "bash", "-c", script }) start.ArgumentList.Add(argument);
        start.Environment["OMP_NUM_THREADS"] = "1";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(3))) process.Kill(entireProcessTree: true);
        return (process.ExitCode, output.Result + error.Result);
    }
}

/// <summary>
/// A disk that fills up under a trained search and under pretraining: one line, exit 2, what was finished kept; once
/// space is freed the same command finishes, and writes what a run that never ran out of space writes.
/// </summary>
public sealed class DiskFullTests(TinyWorld world, ITestOutputHelper log) : IClassFixture<TinyWorld>
{
    /// <summary>
    /// Mounts a 4 MiB tmpfs, fills it but for <paramref name="freeKiB"/>, runs the command (output into it), frees the
    /// space, runs it again, and copies the run out; exit codes and stderr go to <paramref name="results"/>.
    /// </summary>
    private void RunOnFullDisk(string[] command, int freeKiB, string results)
    {
        Directory.CreateDirectory(results);
        string mount = Path.Combine(results, "mnt");
        Directory.CreateDirectory(mount);
        string ose = string.Join(' ', new[] { "dotnet", OseProcess.Cli }.Concat(command).Select(Quote));
        string script = $"""
            set -u
            mount -t tmpfs -o size=4m tmpfs '{mount}' || exit 90
            dd if=/dev/zero of='{mount}/filler' bs=4k 2>/dev/null
            truncate -s -{freeKiB}K '{mount}/filler'
            {ose} --out '{mount}/run' >'{results}/full.out' 2>'{results}/full.err'; echo $? >'{results}/full.code'
            rm '{mount}/filler'
            {ose} --out '{mount}/run' >'{results}/freed.out' 2>'{results}/freed.err'; echo $? >'{results}/freed.code'
            cp -a '{mount}/run' '{results}/run'
            """;
        var (code, output) = Tmpfs.Run(Tmpfs.Unshare!, script);
        Assert.True(code == 0, output);
    }

    private static string Quote(string argument) => $"'{argument.Replace("'", "'\\''")}'";

    private static string Read(string results, string name) => File.ReadAllText(Path.Combine(results, name)).Trim();

    private void AssertFullThenFinished(string results, string expected)
    {
        string error = Read(results, "full.err");
        log.WriteLine(error);
        Assert.Equal("2", Read(results, "full.code"));
        string line = Assert.Single(error.Split('\n'), l => l.StartsWith("ose: ", StringComparison.Ordinal));
        Assert.Contains(expected, line);
        Assert.Contains("free some space and run the same command again", line);
        Assert.DoesNotContain("   at ", error);
        Assert.DoesNotMatch(@"\.[0-9a-f]{32}\.", line);
        Assert.True(Read(results, "freed.code") == "0", Read(results, "freed.err"));
    }

    [TmpfsFact]
    public void A_disk_that_fills_under_a_trained_search_stops_it_in_one_line_and_it_resumes()
    {
        // Trained errors: free ones (a table, the proxy) are not stored. The checkpoints fill the disk before the trial
        // store does; SQLite's own "disk full" is mapped in FailureMappingTests.
        var search = LongCommands.Search(world, "unused")[..^2];
        string results = world.NewRun("store-full");
        RunOnFullDisk(search, freeKiB: 64, results);

        AssertFullThenFinished(results, "no space left on the device");
        string reference = world.NewRun("store-reference");
        Assert.Equal(0, OseProcess.Run([.. search, "--out", reference]).Code);
        OutputComparison.AssertSame(reference, Path.Combine(results, "run"));
    }

    [TmpfsFact]
    public void A_disk_that_fills_under_a_checkpoint_stops_pretraining_in_one_line_and_it_resumes()
    {
        string results = world.NewRun("checkpoint-full");
        var pretrain = LongCommands.Pretrain(world, "unused", steps: 120)[..^2];
        RunOnFullDisk(pretrain, freeKiB: 96, results);

        AssertFullThenFinished(results, "no space left on the device");
        string reference = world.NewRun("checkpoint-reference");
        Assert.Equal(0, OseProcess.Run([.. pretrain, "--out", reference]).Code);
        OutputComparison.AssertSame(reference, Path.Combine(results, "run"));
    }
}
