using System.Text.Json;

namespace Ose.Studies.Tests;

public sealed class StudyRunTests : IDisposable
{
    private readonly TinyStudy study = new();

    public void Dispose() => study.Dispose();

    private sealed class Lines(Action<string>? onLine = null) : IProgress<string>
    {
        public List<string> All { get; } = [];

        public void Report(string value)
        {
            All.Add(value);
            onLine?.Invoke(value);
        }
    }

    [Fact]
    public void A_study_runs_every_stage_and_writes_its_report_and_a_manifest_of_every_figure()
    {
        var outcome = study.Run("a");

        Assert.Equal(["search", "architectures", "teacher", "student", "labeller-TOY", "agora-TOY", "latency"], outcome.Stages.Keys);
        var figures = outcome.Figures;
        Assert.Equal("8", figures["space.candidates"]);
        Assert.Equal(figures["search.chosen"], figures["student.arch"]);
        Assert.Equal("True", figures["student.distilled"]);
        Assert.True(StageRecordValue(figures, "teacher.dev_loss_after") < StageRecordValue(figures, "teacher.dev_loss_before"));
        Assert.InRange(StageRecordValue(figures, "agora-TOY.n16.agora_test_mean"), 0, 1);
        Assert.Contains("latency.source/chosen.b1.speedup", outcome.Stages["latency"].Measurements.Keys);

        string report = File.ReadAllText(outcome.ReportPath);
        foreach (string section in new[] { "## Search", "## Architectures", "## Pretraining", "## TOY: fine-tuning with and without Agora", "## CPU latency" })
            Assert.Contains(section, report);
        using var manifest = JsonDocument.Parse(File.ReadAllText(outcome.ManifestPath));
        var root = manifest.RootElement;
        Assert.Equal(figures.Count, root.GetProperty("figures").EnumerateObject().Count());
        Assert.Equal(64, root.GetProperty("config").GetProperty("sha256").GetString()!.Length);
        Assert.True(root.GetProperty("packages").TryGetProperty("TorchSharp", out _));
        Assert.True(root.GetProperty("data").TryGetProperty("task/TOY/train.tsv", out _));
        var files = root.GetProperty("files").EnumerateObject().Select(p => p.Name).ToArray();
        Assert.Equal(["report.md", "figures/front.png", "figures/pretraining.png", "figures/agora-TOY.png"], files);
        Assert.All(files, f => Assert.True(File.Exists(Path.Combine(study.Root, "a", f))));
    }

    [Fact]
    public void The_same_config_reproduces_every_figure_and_a_study_killed_mid_way_resumes_to_the_same_figures()
    {
        var uninterrupted = study.Run("a");

        using var kill = new CancellationTokenSource();
        var first = new Lines(line => { if (line.StartsWith("student: step", StringComparison.Ordinal) || line == "labeller-TOY: starting") kill.Cancel(); });
        Assert.ThrowsAny<OperationCanceledException>(() => study.Run("b", first, kill.Token));
        Assert.False(File.Exists(Path.Combine(study.Root, "b", "manifest.json")));

        var again = new Lines();
        var resumed = study.Run("b", again);
        Assert.Contains("search: done in an earlier run", again.All);
        Assert.Contains("teacher: done in an earlier run", again.All);
        Assert.Empty(ManifestCheck.Differences(resumed.ManifestPath, uninterrupted.ManifestPath));
    }

    [Fact]
    public void Another_seed_changes_the_figures_and_the_check_names_them()
    {
        var first = study.Run("a");
        study.WriteConfig(seed: 1);
        var second = study.Run("b");
        var differences = ManifestCheck.Differences(second.ManifestPath, first.ManifestPath);
        Assert.Contains(differences, d => d.StartsWith("teacher.dev_loss_after (", StringComparison.Ordinal));
        Assert.Contains(differences, d => d.StartsWith("figures/pretraining.png sha256 (", StringComparison.Ordinal));
    }

    [Fact]
    public void A_run_directory_refuses_a_study_of_another_config()
    {
        study.Run("a");
        study.WriteConfig(seed: 7);
        var error = Assert.Throws<UserInputException>(() => study.Run("a"));
        Assert.Contains("another config", error.Message);
    }

    [Fact]
    public void A_corrupt_stage_record_or_run_identity_is_a_one_line_user_error()
    {
        study.Run("a");
        File.WriteAllText(Path.Combine(study.Root, "a", "stages", "teacher.json"), "{ not json");
        string corrupt = Assert.Throws<UserInputException>(() => study.Run("a")).Message;
        Assert.Contains("malformed", corrupt);
        Assert.Matches(@"teacher\.json: .* \(line 1, column \d+\): delete it to run that stage again$", corrupt);
        File.WriteAllText(Path.Combine(study.Root, "a", "study.json"), "[]");
        Assert.Contains("study.json is corrupt", Assert.Throws<UserInputException>(() => study.Run("a")).Message);
    }

    [Fact]
    public void A_study_on_a_source_with_weights_cuts_the_student_out_of_it_and_reports_the_share_of_each_tasks_score_it_keeps()
    {
        string config = study.WriteWeightedConfig();
        var outcome = StudyRun.Execute(config, Path.Combine(study.Root, "w"), study.Data, "cpu");

        Assert.Equal(["search", "architectures", "head", "student", "tasks", "labeller-TOY", "finetune-TOY", "agora-TOY",
            "labeller-TOY2", "finetune-TOY2", "agora-TOY2", "latency"], outcome.Stages.Keys);
        var figures = outcome.Figures;
        Assert.Equal(figures["search.chosen"], figures["student.arch"]);
        Assert.Equal("source", figures["student.distilled"]);
        Assert.True(StageRecordValue(figures, "student.distil_error_after") < StageRecordValue(figures, "student.distil_error_before"));
        Assert.True(StageRecordValue(figures, "head.dev_loss_after") < StageRecordValue(figures, "head.dev_loss_before"));
        Assert.Equal(["120", "20", "20"], new[] { "train", "dev", "test" }.Select(split => figures[$"tasks.TOY.{split}"]));
        Assert.Equal(StageRecordValue(figures, "finetune-TOY.test") / StageRecordValue(figures, "labeller-TOY.test"),
            StageRecordValue(figures, "finetune-TOY.retained"), 12);
        Assert.InRange(StageRecordValue(figures, "agora-TOY.n16.random_seeds_test_mean"), 0, 1);
        var latency = outcome.Stages["latency"].Measurements;
        foreach (string engine in new[] { "", "ort_" })
            Assert.Equal(StageRecordValue(latency, $"latency.source.b1.{engine}ms") / StageRecordValue(latency, $"latency.chosen.b1.{engine}ms"),
                StageRecordValue(latency, $"latency.source/chosen.b1.{engine}speedup"), 12);

        string report = File.ReadAllText(outcome.ReportPath);
        Assert.Contains("## The student, cut out of the source and distilled from it", report);
        Assert.Contains("## The Bort table", report);
        Assert.Contains("| TOY | accuracy |", report);
        Assert.Contains("| TOY2 | accuracy |", report);
        Assert.Contains("pooled over the tasks\n\nTest score ×100, mean paired difference [95% interval] over 2 (task, size, seed) pairs: Agora − plain ", report);
        using var manifest = JsonDocument.Parse(File.ReadAllText(outcome.ManifestPath));
        Assert.True(manifest.RootElement.GetProperty("data").TryGetProperty("source/source.onnx", out _));
        Assert.Contains("figures/distillation.png", manifest.RootElement.GetProperty("files").EnumerateObject().Select(p => p.Name));
    }

    private static double StageRecordValue(IReadOnlyDictionary<string, string> figures, string key) => StageRecord.Read(figures, key);
}
