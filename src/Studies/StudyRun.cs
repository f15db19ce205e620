using Ose.IO;
using System.Diagnostics;
using System.Text.Json;
using Ose.Reporting;

namespace Ose.Studies;

/// <summary>What a finished study found: every stage's record, all their figures, and where the report and manifest are.</summary>
public sealed record StudyOutcome(IReadOnlyDictionary<string, StageRecord> Stages, IReadOnlyDictionary<string, string> Figures,
    string ReportPath, string ManifestPath);

/// <summary>
/// <c>ose run</c>: the stages of a study, in order, each in its folder of the run directory. A finished stage writes
/// <c>stages/NAME.json</c> and is skipped by the next run; a stage cut short resumes from its own checkpoints (the
/// search's trial store, pretraining checkpoints, Agora's finished cells), so a study killed anywhere is run again
/// with the same command. The run directory remembers the config's hash and refuses another config.
/// </summary>
public static class StudyRun
{
    public const string SearchStage = "search", ArchitecturesStage = "architectures", TeacherStage = "teacher", StudentStage = "student",
        LabellerStage = "labeller", AgoraStage = "agora", LatencyStage = "latency";

    public const string IdentityFile = "study.json";

    public static StudyOutcome Execute(string configPath, string outFolder, string? dataPath, string deviceName,
        IProgress<string>? progress = null, CancellationToken cancellation = default)
    {
        var (config, sha256) = StudyConfig.Load(configPath);
        var run = RunDirectory.Prepare(outFolder);
        ClaimRunDirectory(run, configPath, sha256);
        var context = new StudyContext(config, run, dataPath, deviceName, progress, cancellation);

        var stages = new List<(string Name, bool Wanted, Func<StudyContext, StageRecord> Run)>
        {
            (SearchStage, config.Search is not null, SearchStages.Search),
            (ArchitecturesStage, true, SearchStages.Architectures),
            (TeacherStage, config.Teacher is not null, TrainingStages.Teacher),
            (StudentStage, config.Pretrain is not null, TrainingStages.Student),
            (LabellerStage, config.Finetune is not null, TrainingStages.Labeller),
            (AgoraStage, config.Finetune is not null, TrainingStages.Agora),
            (LatencyStage, config.Latency is not null, Studies.LatencyStage.Run),
        };
        foreach (var (name, wanted, runStage) in stages.Where(s => s.Wanted))
            context.Stages[name] = RunStage(context, name, runStage);

        string manifest = StudyReport.Write(context, configPath, sha256);
        return new StudyOutcome(context.Stages, context.Figures, run.File(StudyReport.ReportFile), manifest);
    }

    private static StageRecord RunStage(StudyContext context, string name, Func<StudyContext, StageRecord> runStage)
    {
        string file = Path.Combine(context.Run.File("stages"), name + ".json");
        if (File.Exists(file))
        {
            context.Say($"{name}: done in an earlier run");
            return StageRecord.Load(file);
        }
        context.Cancellation.ThrowIfCancellationRequested();
        context.Say($"{name}: starting");
        var clock = Stopwatch.StartNew();
        var record = runStage(context);
        record.Measurement($"time.{name}.seconds", clock.Elapsed.TotalSeconds);
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        record.Save(file);
        context.Say($"{name}: done in {clock.Elapsed.TotalSeconds:F0} s");
        return record;
    }

    /// <summary>A run directory belongs to one config: resuming it with an edited config would mix two studies.</summary>
    private static void ClaimRunDirectory(RunDirectory run, string configPath, string sha256)
    {
        string file = run.File(IdentityFile);
        if (File.Exists(file))
        {
            string? claimed;
            try
            {
                using var identity = JsonDocument.Parse(File.ReadAllText(file));
                claimed = identity.RootElement.GetProperty("config_sha256").GetString();
            }
            catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
            {
                throw new UserInputException($"{file} is corrupt ({e.Message}): use another --out, or delete the run directory");
            }
            if (claimed != sha256)
                throw new UserInputException($"{run.Path} holds a study of another config (sha256 {claimed?[..12]}, {configPath} is {sha256[..12]}): use another --out or delete it");
            return;
        }
        CrashSafe.WriteText(file, JsonSerializer.Serialize(new { config = Path.GetFullPath(configPath), config_sha256 = sha256 }));
    }
}
