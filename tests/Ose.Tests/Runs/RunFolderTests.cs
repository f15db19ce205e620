using Ose.IO;
using Ose.Runs;

namespace Ose.Tests.Runs;

public sealed class RunFolderTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("ose-runfolder-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    private string Run => Path.Combine(root, "runs", "pretrain");

    private static RunOptions Options(string lr = "0.001", string seed = "0") =>
        new("pretrain", [new("--lr", lr), new("--seed", seed), new("--arch", "2,2,32,64")]);

    [Fact]
    public void A_run_with_other_options_is_refused_naming_each_difference()
    {
        using (var first = RunFolder.Claim(Run, Options(), restart: false))
            File.WriteAllText(Path.Combine(first.Path, "pretrain.csv"), "step,loss\n");

        var refused = Assert.Throws<UserInputException>(() => RunFolder.Claim(Run, Options(lr: "0.002", seed: "7"), restart: false));

        Assert.Contains("--lr 0.001 then, 0.002 now; --seed 0 then, 7 now", refused.Message);
        Assert.Contains("--force-restart", refused.Message);
        RunFolder.Claim(Run, Options(), restart: false).Dispose();
    }

    [Fact]
    public void Force_restart_clears_the_run_and_records_the_new_options()
    {
        using (var first = RunFolder.Claim(Run, Options(), restart: false))
            Directory.CreateDirectory(Path.Combine(first.Path, "checkpoint"));

        using (var again = RunFolder.Claim(Run, Options(lr: "0.002"), restart: true))
        {
            Assert.Equal([FolderLock.FileName, RunOptions.FileName], Directory.GetFileSystemEntries(Run).Select(Path.GetFileName).Order());
            Directory.CreateDirectory(Path.Combine(again.Path, "checkpoint"));
        }

        Assert.Equal("0.002", RunOptions.Read(Run)!.Values.Single(v => v.Key == "--lr").Value);
    }

    [Fact]
    public void Force_restart_never_clears_a_folder_that_no_recorded_run_wrote()
    {
        Directory.CreateDirectory(Run);
        File.WriteAllText(Path.Combine(Run, "thesis.tex"), "years of work");

        Assert.Throws<UserInputException>(() => RunFolder.Claim(Run, Options(), restart: true));

        Assert.True(File.Exists(Path.Combine(Run, "thesis.tex")));
    }

    [Fact]
    public void A_claim_that_wrote_nothing_leaves_nothing_behind_not_even_the_folders_it_made()
    {
        RunFolder.Claim(Run, Options(), restart: false).Dispose();

        Assert.Empty(Directory.GetFileSystemEntries(root));
    }

    [Fact]
    public void A_second_claim_of_a_held_folder_is_refused_and_leaves_the_first_intact()
    {
        using var first = RunFolder.Claim(Run, Options(), restart: false);

        Assert.Throws<UserInputException>(() => RunFolder.Claim(Run, Options(), restart: false));
        Assert.True(File.Exists(Path.Combine(Run, RunOptions.FileName)));
    }

    [Fact]
    public void Litter_of_a_killed_run_is_settled_when_the_next_run_claims_the_folder()
    {
        Directory.CreateDirectory(Path.Combine(Run, "checkpoint"));
        Directory.CreateDirectory(Path.Combine(Run, $".checkpoint.{Guid.NewGuid():N}.staging"));
        File.WriteAllText(Path.Combine(Run, $".pretrain.{Guid.NewGuid():N}.tmp.csv"), "half");

        using var claim = RunFolder.Claim(Run, Options(), restart: false);

        Assert.Equal([FolderLock.FileName, "checkpoint", RunOptions.FileName], Directory.GetFileSystemEntries(Run).Select(Path.GetFileName).Order());
    }

    [Theory]
    [InlineData("model", "model", "is the --model it reads")]
    [InlineData("runs", "runs/p/model", "holds the --model it reads")]
    [InlineData("runs/p/", "runs/p", "is the --model it reads")]
    public void An_output_that_is_an_input_or_holds_one_is_refused(string output, string input, string expected)
    {
        var refused = Assert.Throws<UserInputException>(() =>
            RunFolder.RefuseInputs(Path.Combine(root, output), [("--model", Path.Combine(root, input))]));
        Assert.Contains(expected, refused.Message);
    }

    [Fact]
    public void An_output_beside_or_inside_an_input_is_allowed()
    {
        RunFolder.RefuseInputs(Path.Combine(root, "runs", "ft"), [("--model", Path.Combine(root, "runs", "p")), ("--data", null)]);
        RunFolder.RefuseInputs(Path.Combine(root, "runs", "p", "ft"), [("--model", Path.Combine(root, "runs", "p"))]);
    }
}
