using Ose.IO;
using System.Diagnostics;
using System.Text.Json;
using Ose.Reporting;
using Ose.Objectives;
using Ose.Runs;
using Ose.Tasks;
using Ose.Tasks.Data;
using Ose.Models.Sources;
using Ose.Spaces;

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
    public const string SearchStage = "search", ArchitecturesStage = "architectures", TeacherStage = "teacher", HeadStage = "head",
        StudentStage = "student", TasksStage = "tasks", LabellerStage = "labeller", FinetuneStage = "finetune", AgoraStage = "agora",
        LatencyStage = "latency";

    public const string IdentityFile = "study.json";

    /// <summary>A per-task stage's name (<c>labeller-SENT</c>): its record, folder and figures' prefix.</summary>
    public static string ForTask(string stage, StudyTask task) => $"{stage}-{task.Key}";

    public static StudyOutcome Execute(string configPath, string outFolder, string? dataPath, string deviceName,
        IProgress<string>? progress = null, CancellationToken cancellation = default)
    {
        var (config, sha256) = StudyConfig.Load(configPath);
        var data = DataDirectory.Resolve(dataPath);
        CheckInputs(config, data);
        var run = RunDirectory.Prepare(outFolder);
        ClaimRunDirectory(run, configPath, sha256);
        var context = new StudyContext(config, run, dataPath, deviceName, progress, cancellation);

        var tasks = config.Finetune?.Tasks ?? [];
        var stages = new List<(string Name, bool Wanted, Func<StudyContext, StageRecord> Run)>
        {
            (SearchStage, config.Search is not null, SearchStages.Search),
            (ArchitecturesStage, true, SearchStages.Architectures),
            (TeacherStage, config.Teacher is not null, TrainingStages.Teacher),
            (HeadStage, config.Head is not null, TrainingStages.Head),
            (StudentStage, config.Pretrain is not null, TrainingStages.Student),
            (TasksStage, tasks.Any(t => t.Dev is not null), TrainingStages.Resplit),
        };
        foreach (var task in tasks)
        {
            stages.Add((ForTask(LabellerStage, task), true, c => TrainingStages.Labeller(c, task)));
            stages.Add((ForTask(FinetuneStage, task), config.Finetune!.Student is not null, c => TrainingStages.FineTuneStudent(c, task)));
            stages.Add((ForTask(AgoraStage, task), true, c => TrainingStages.Agora(c, task)));
        }
        stages.Add((LatencyStage, config.Latency is not null, Studies.LatencyStage.Run));
        foreach (var (name, wanted, runStage) in stages.Where(s => s.Wanted))
            context.Stages[name] = RunStage(context, name, runStage);

        string manifest = StudyReport.Write(context, configPath, sha256);
        return new StudyOutcome(context.Stages, context.Figures, run.File(StudyReport.ReportFile), manifest);
    }

    /// <summary>
    /// Everything a later stage reads, checked before the first stage spends anything: a missing task or an unprepared
    /// source is found now, not after the search and the pretraining.
    /// </summary>
    private static void CheckInputs(StudyConfig config, DataDirectory data)
    {
        var source = WeightedSource.ResolveAny(config.Source, data);
        foreach (string name in config.Architectures?.Sources ?? []) WeightedSource.ResolveAny(name, data);
        foreach (string name in (config.Architectures?.Students ?? []).Where(n => !n.Contains(','))) WeightedSource.ResolveAny(name, data);
        bool weighted = source.Weights is not null;
        void Require(bool condition, string message)
        {
            if (!condition) throw new UserInputException($"study: {message}");
        }
        Require(config.Head is null || weighted, $"\"head\" trains a masked-LM head over a source with weights; {config.Source} has none");
        Require(config.Pretrain is not { Distil: true } || config.Teacher is not null || weighted,
            "pretrain.distil needs a \"teacher\" section to train the teacher, or a source with weights to cut the student out of");
        Require(config.Finetune is null || config.Teacher is not null || weighted,
            "finetune needs a \"teacher\" section or a source with weights: Agora's labeller is the teacher (else the source) fine-tuned on the task");

        if (config.Search is { } search)
        {
            SearchSpace.Resolve(search.Space ?? source.DefaultSpace);
            if (search.Errors is not (null or SearchRun.TrainedErrorToken or SearchRun.DistilledErrorToken or ScalingLawProxy.Token))
                SearchRun.RequireErrorTable(search.Errors);
        }
        bool trainedSearch = config.Search is { Errors: null or SearchRun.TrainedErrorToken or SearchRun.DistilledErrorToken };
        if (trainedSearch || config.Teacher is not null || config.Head is not null || config.Pretrain is not null) data.RequirePretrainingData();
        foreach (var task in config.Finetune?.Tasks ?? []) TextTask.Load(data.TaskFolder(task.Name));
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
                using var identity = StrictJson.Parse(File.ReadAllText(file), file);
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
