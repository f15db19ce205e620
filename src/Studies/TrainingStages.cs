using Ose.Plots;
using System.Globalization;
using Ose.Agora.Text;
using Ose.Agora;
using Ose.Models.Checkpoints;
using Ose.Tasks;
using Ose.Training.FineTuning;
using Ose.Training;
using Ose.Training.Distil;
using Ose.Training.Sources;

namespace Ose.Studies;

/// <summary>The stages that train: the teacher, the student (distilled from the teacher when asked), the labeller, and Agora.</summary>
internal static class TrainingStages
{
    /// <summary>Steps between checkpoints: a killed pretraining loses at most this many.</summary>
    private const int CheckpointEvery = 50;

    public static StageRecord Teacher(StudyContext context)
    {
        var section = context.Config.Teacher!;
        var ξ = section.Arch is { } arch ? Architecture.Parse(arch, "teacher.arch") : context.Source.Architecture;
        return Pretrain(context, StudyRun.TeacherStage, ξ, section, teacherFolder: null);
    }

    /// <summary>A masked-LM head over the frozen source (<c>ose train-head</c>), kept in the run folder: Agora's sampler.</summary>
    public static StageRecord Head(StudyContext context)
    {
        var section = context.Config.Head!;
        var θ = new HyperParameters(section.LearningRate, section.Steps, section.Batch, section.Seq);
        string folder = context.Folder(StudyRun.HeadStage);
        var outcome = MaskedLmHeadTraining.Train(context.Weighted!, context.Data, θ, context.Config.Seed, folder, HeadFile(context),
            context.Throttled<TrainingStep>(s => string.Create(CultureInfo.InvariantCulture, $"head: step {s.Step}/{s.Steps} loss {s.Loss:F3}")),
            context.Cancellation);
        var record = new StageRecord();
        record.Figure("head.dev_loss_before", outcome.DevLossBefore);
        record.Figure("head.dev_loss_after", outcome.DevLossAfter);
        return record;
    }

    /// <summary>
    /// The chosen student (or <c>arch</c>): pretrained, distilled from the study's teacher when asked; with no teacher and
    /// a source with weights, cut out of the source and distilled from it (<see cref="DistillationRun"/>).
    /// </summary>
    public static StageRecord Student(StudyContext context)
    {
        var section = context.Config.Pretrain!;
        var ξ = section.Arch is { } arch ? Architecture.Parse(arch, "pretrain.arch") : context.Chosen!.Value;
        if (section.Distil && context.Config.Teacher is null) return DistilFromSource(context, ξ, section);
        string? teacher = section.Distil ? ModelFolder(context, StudyRun.TeacherStage) : null;
        return Pretrain(context, StudyRun.StudentStage, ξ, section, teacher);
    }

    private static StageRecord DistilFromSource(StudyContext context, Architecture ξ, PretrainingSection section)
    {
        var source = context.Weighted!;
        var θ = new HyperParameters(section.LearningRate, section.Steps, section.Batch, section.Seq);
        string folder = context.Folder(StudyRun.StudentStage);
        var outcome = DistillationRun.Execute(source, ξ, context.Data, θ, context.Config.Seed, CheckpointEvery, context.Device, folder,
            context.Throttled<TrainingStep>(s => string.Create(CultureInfo.InvariantCulture,
                $"student: step {s.Step}/{s.Steps} loss {s.Loss:F4} {s.TokensPerSecond:F0} tok/s")), context.Cancellation);
        TrainingPlots.WriteHeldOutCurve(Path.Combine(folder, DistillationPlot), $"{ξ} distilled from {source.Name}", "held-out error (1 − R² + KL)",
            outcome.Curve.Select(p => (p.Step, p.Score.Error)).ToArray());
        var record = new StageRecord();
        record.Figure("student.arch", ξ.ToShortString());
        record.Figure("student.distilled", source.Name);
        record.Figure("student.distil_error_before", outcome.Curve[0].Score.Error);
        record.Figure("student.distil_error_after", outcome.Curve[^1].Score.Error);
        return record;
    }

    /// <summary>The held-out distillation curve of a student cut out of the source.</summary>
    public const string DistillationPlot = "distil.png";

    private static string HeadFile(StudyContext context) => Path.Combine(context.Folder(StudyRun.HeadStage), MaskedLmHeadTraining.HeadFile);

    private static StageRecord Pretrain(StudyContext context, string stage, Architecture ξ, PretrainingSection section, string? teacherFolder)
    {
        var θ = new HyperParameters(section.LearningRate, section.Steps, section.Batch, section.Seq);
        var corpus = context.Corpus(section.Seq);
        var outcome = PretrainingRun.Execute(ξ, corpus, θ, context.Config.Seed, CheckpointEvery, context.Device, teacherFolder, context.Folder(stage),
            context.Throttled<TrainingStep>(s => string.Create(CultureInfo.InvariantCulture,
                $"{stage}: step {s.Step}/{s.Steps} loss {s.Loss:F3} {s.TokensPerSecond:F0} tok/s")), context.Cancellation);
        var record = new StageRecord();
        record.Figure($"{stage}.arch", ξ.ToShortString());
        record.Figure($"{stage}.distilled", (teacherFolder is not null).ToString());
        record.Figure($"{stage}.dev_loss_before", outcome.DevLossBefore);
        record.Figure($"{stage}.dev_loss_after", outcome.DevLossAfter);
        record.Figure($"{stage}.final_train_loss", outcome.Losses[^1]);
        record.Figure("data.corpus", corpus.Identity);
        return record;
    }

    /// <summary>Tasks with dev and test sizes, re-split into the run folder (as `ose data split`, seeded by the study).</summary>
    public static StageRecord Resplit(StudyContext context)
    {
        var record = new StageRecord();
        foreach (var task in context.Config.Finetune!.Tasks.Where(t => t.Dev is not null))
        {
            var outcome = TaskResplit.Write(context.Data.TaskFolder(task.Name), task.Dev!.Value, task.Test!.Value, context.Config.Seed, context.TaskFolder(task));
            record.Figure($"tasks.{task.Key}.train", outcome.Train);
            record.Figure($"tasks.{task.Key}.dev", outcome.Dev);
            record.Figure($"tasks.{task.Key}.test", outcome.Test);
        }
        return record;
    }

    /// <summary>
    /// The labeller: the teacher (else the source with weights) fine-tuned on the whole training split of the task. Its
    /// test score is the source's score in the Bort table.
    /// </summary>
    public static StageRecord Labeller(StudyContext context, StudyTask studyTask)
    {
        var section = context.Config.Finetune!;
        string stage = StudyRun.ForTask(StudyRun.LabellerStage, studyTask);
        string teacherPath = context.Config.Teacher is not null ? ModelFolder(context, StudyRun.TeacherStage) : context.Config.Source;
        return FineTune(context, studyTask, stage, teacherPath, section.Labeller);
    }

    /// <summary>The student fine-tuned on the whole training split of the task, and the share of the source's score it keeps.</summary>
    public static StageRecord FineTuneStudent(StudyContext context, StudyTask studyTask)
    {
        string stage = StudyRun.ForTask(StudyRun.FinetuneStage, studyTask);
        var record = FineTune(context, studyTask, stage, ModelFolder(context, StudyRun.StudentStage), context.Config.Finetune!.Student!);
        var labeller = context.Stages[StudyRun.ForTask(StudyRun.LabellerStage, studyTask)].Figures;
        if (record.Figures.TryGetValue($"{stage}.test", out var student) && labeller.TryGetValue($"{StudyRun.ForTask(StudyRun.LabellerStage, studyTask)}.test", out var source))
            record.Figure($"{stage}.retained", Parse(student) / Parse(source));
        return record;
    }

    private static double Parse(string figure) => double.Parse(figure, NumberStyles.Float, CultureInfo.InvariantCulture);

    private static StageRecord FineTune(StudyContext context, StudyTask studyTask, string stage, string modelPath, HyperParameters θ)
    {
        var task = TextTask.Load(context.TaskFolder(studyTask));
        using var model = PretrainedModel.Load(modelPath, context.Data, context.Device);
        var outcome = ClassifierFineTuningRun.Execute(task, task.Train, model.Encoder, context.Data.Vocabulary, θ, context.Config.Seed,
            context.Device, context.Folder(stage),
            context.Throttled<FineTuningStep>(s => string.Create(CultureInfo.InvariantCulture, $"{stage}: step {s.Step}/{s.Steps} loss {s.Loss:F3}")),
            context.Cancellation);
        var record = new StageRecord();
        record.Figure($"{stage}.dev", outcome.DevScore);
        record.Figure($"{stage}.best_step", outcome.BestStep);
        if (outcome.TestScore is { } test) record.Figure($"{stage}.test", test);
        record.Figure($"{stage}.metric", task.Metric.ToString().ToLowerInvariant());
        return record;
    }

    /// <summary>Plain fine-tuning against Agora at equal compute, per scarce training size and seed (<see cref="AgoraComparison{TLabel}"/>).</summary>
    public static StageRecord Agora(StudyContext context, StudyTask studyTask)
    {
        var section = context.Config.Finetune!;
        string stage = StudyRun.ForTask(StudyRun.AgoraStage, studyTask);
        var task = TextTask.Load(context.TaskFolder(studyTask));
        var options = new AgoraOptions(section.Theta, section.Agora.Rounds, section.Agora.K, section.Agora.MinConfidence,
            ForceLabeller: section.Agora.ForceLabeller);
        options.Validate();
        // The sampler: the source under the head the study trained, else the student's own masked LM.
        var sampler = context.Config.Head is not null ? PretrainedModel.Load(context.Config.Source, context.Data, context.Device, HeadFile(context)) : null;
        var student = PretrainedModel.Load(ModelFolder(context, StudyRun.StudentStage), context.Data, context.Device);
        string labeller = Path.Combine(context.Folder(StudyRun.ForTask(StudyRun.LabellerStage, studyTask)), ClassifierFineTuningRun.ModelFolder);
        using var setup = TextAgoraSetup.Create(context.Data, task, options, student, sampler, labeller, section.Agora.Fraction, context.Device);
        var compared = AgoraTask.Of(setup.Task);
        var comparison = new AgoraComparison<int>(compared, setup.Students, setup.Labeller, setup.Sampler, setup.Options);
        var cells = comparison.Run(section.TrainSizes, section.Seeds, context.Folder(stage), new LineProgress(context, stage), context.Cancellation);
        AgoraPlots.WriteComparison(Path.Combine(context.Folder(stage), ComparisonPlot), cells, compared.Name, compared.Metric);

        var record = new StageRecord();
        foreach (var cell in cells)
        {
            string key = $"{stage}.n{cell.TrainSize}.seed{cell.Seed}";
            record.Figure($"{key}.plain_test", cell.PlainTest);
            record.Figure($"{key}.agora_test", cell.AgoraTest);
            record.Figure($"{key}.random_seeds_test", cell.RandomTest);
            record.Figure($"{key}.steps", cell.Steps);
            record.Figure($"{key}.generated", cell.AgoraGenerated);
            record.Figure($"{key}.kept", cell.AgoraKept);
        }
        foreach (var size in cells.GroupBy(c => c.TrainSize))
        {
            record.Figure($"{stage}.n{size.Key}.plain_test_mean", size.Average(c => c.PlainTest));
            record.Figure($"{stage}.n{size.Key}.agora_test_mean", size.Average(c => c.AgoraTest));
            record.Figure($"{stage}.n{size.Key}.random_seeds_test_mean", size.Average(c => c.RandomTest));
        }
        return record;
    }

    public const string ComparisonPlot = "comparison.png";

    /// <summary>The student folder a pretraining stage (teacher or student) wrote.</summary>
    private static string ModelFolder(StudyContext context, string stage) => Path.Combine(context.Folder(stage), PretrainingRun.ModelFolder);

    private sealed class LineProgress(StudyContext context, string stage) : IProgress<string>
    {
        public void Report(string value) => context.Say($"{stage}: {value}");
    }
}
