namespace Ose.Cli.Tests;

/// <summary>`ose run` as a process, on a study that needs no training: the analytic figures of BERT-base and a student.</summary>
public sealed class RunCommandTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("ose-run-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private string Config(string json)
    {
        string path = Path.Combine(directory, "study.json");
        File.WriteAllText(path, json);
        return path;
    }

    private const string AnalyticStudy = """
        {"source": "bert-base", "architectures": {"students": ["4,8,768,1024"]},
         "search": {"errors": "proxy:scaling-law"},
         "paper": [{"claim": "BERT-base has 110M parameters", "value": 110e6, "figures": ["params.bert-base.net"]}]}
        """;

    [Fact]
    public void A_study_writes_its_report_and_manifest_and_a_rerun_checked_against_it_is_identical()
    {
        string config = Config(AnalyticStudy), first = Path.Combine(directory, "a"), second = Path.Combine(directory, "b");
        var run = OseProcess.Run("run", config, "--out", first);
        Assert.True(run.ExitCode == 0, run.StandardError);
        string report = File.ReadAllText(Path.Combine(first, "report.md"));
        Assert.Contains("| bert-base | 12,12,768,3072 | 30,522 | 109,482,240 | 85,054,464 |", report);
        Assert.Contains("| BERT-base has 110M parameters |", report);

        var again = OseProcess.Run("run", config, "--out", second, "--expect", Path.Combine(first, "manifest.json"));
        Assert.True(again.ExitCode == 0, again.StandardError);
        Assert.Contains("figures and every plot identical to", again.StandardOutput);
    }

    [Fact]
    public void A_figure_that_differs_from_the_expected_manifest_fails_the_run_in_one_line()
    {
        string config = Config(AnalyticStudy), first = Path.Combine(directory, "a");
        Assert.Equal(0, OseProcess.Run("run", config, "--out", first).ExitCode);
        string manifest = Path.Combine(first, "manifest.json");
        File.WriteAllText(manifest, File.ReadAllText(manifest).Replace("\"params.bert-base.net\": \"109482240\"", "\"params.bert-base.net\": \"109482241\""));

        var again = OseProcess.Run("run", config, "--out", Path.Combine(directory, "b"), "--expect", manifest);
        Assert.Equal(1, again.ExitCode);
        // Progress lines go to stderr as well; the verdict is the one line of the error.
        string error = Assert.Single(again.StandardError.Trim().Split('\n'), line => line.StartsWith("ose:", StringComparison.Ordinal));
        Assert.Contains("does not reproduce", error);
        Assert.Contains("(1 difference)", error);
        Assert.Contains("params.bert-base.net (109482241 then, 109482240 now)", error);
    }

    [Fact]
    public void Export_takes_a_study_folder_for_its_student_and_says_so_when_the_study_has_none()
    {
        string config = Config(AnalyticStudy), study = Path.Combine(directory, "a");
        Assert.Equal(0, OseProcess.Run("run", config, "--out", study).ExitCode);

        var export = OseProcess.Run("export", "--run", study, "--out", Path.Combine(directory, "exported"));

        Assert.Equal(2, export.ExitCode);
        Assert.Contains("has no pretrained student", Assert.Single(export.StandardError.Trim().Split('\n')));
        Assert.False(Directory.Exists(Path.Combine(directory, "exported")));
    }

    [Theory]
    [InlineData("""{"source": "bert-base", "search": {"epsilon": 0}}""", "search.epsilon")]
    [InlineData("""{"source": "no-such-model"}""", "unknown source")]
    [InlineData("""{"source": """, "malformed study config")]
    public void A_bad_study_is_one_line_and_exit_code_2_with_nothing_written(string json, string expected)
    {
        string output = Path.Combine(directory, "out");
        var run = OseProcess.Run("run", Config(json), "--out", output);
        Assert.Equal(2, run.ExitCode);
        Assert.Single(run.StandardError.Trim().Split('\n'));
        Assert.Contains(expected, run.StandardError);
        Assert.False(File.Exists(Path.Combine(output, "manifest.json")));
    }
}
