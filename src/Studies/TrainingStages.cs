using Ose.Plots;
using System.Globalization;
using Ose.Agora.Text;
using Ose.Agora;
using Ose.Models.Checkpoints;
using Ose.Tasks;
using Ose.Training.FineTuning;
using Ose.Training;

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

    public static StageRecord Student(StudyContext context)
    {
        var section = context.Config.Pretrain!;
        var ξ = section.Arch is { } arch ? Architecture.Parse(arch, "pretrain.arch") : context.Chosen!.Value;
        string? teacher = section.Distil ? ModelFolder(context, StudyRun.TeacherStage) : null;
        return Pretrain(context, StudyRun.StudentStage, ξ, section, teacher);
    }

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

    /// <summary>The labeller: the teacher fine-tuned on the whole training split of the task.</summary>
    public static StageRecord Labeller(StudyContext context)
    {
        var section = context.Config.Finetune!;
        var task = TextTask.Load(context.Data.TaskFolder(section.Task));
        using var teacher = StudentFolder.Load(ModelFolder(context, StudyRun.TeacherStage), context.Device);
        var outcome = ClassifierFineTuningRun.Execute(task, task.Train, teacher.Bert, context.Data.Vocabulary, section.Labeller, context.Config.Seed,
            context.Device, context.Folder(StudyRun.LabellerStage),
            context.Throttled<FineTuningStep>(s => string.Create(CultureInfo.InvariantCulture, $"labeller: step {s.Step}/{s.Steps} loss {s.Loss:F3}")),
            context.Cancellation);
        var record = new StageRecord();
        record.Figure("labeller.dev", outcome.DevScore);
        record.Figure("labeller.best_step", outcome.BestStep);
        if (outcome.TestScore is { } test) record.Figure("labeller.test", test);
        record.Figure("labeller.metric", task.Metric.ToString().ToLowerInvariant());
        return record;
    }

    /// <summary>Plain fine-tuning against Agora at equal compute, per scarce training size and seed (<see cref="AgoraComparison"/>).</summary>
    public static StageRecord Agora(StudyContext context)
    {
        var section = context.Config.Finetune!;
        var task = TextTask.Load(context.Data.TaskFolder(section.Task));
        var options = new AgoraOptions(section.Theta, section.Agora.Rounds, section.Agora.K, section.Agora.MinConfidence,
            ForceLabeller: section.Agora.ForceLabeller);
        options.Validate();
        using var setup = TextAgoraSetup.Create(context.Data, task, options, PretrainedModel.Load(ModelFolder(context, StudyRun.StudentStage), context.Data, context.Device),
            null, Path.Combine(context.Folder(StudyRun.LabellerStage), ClassifierFineTuningRun.ModelFolder), section.Agora.Fraction, context.Device);
        var comparison = new AgoraComparison(setup.Task, setup.Students, setup.Labeller, setup.Sampler, setup.Options);
        var cells = comparison.Run(section.TrainSizes, section.Seeds, context.Folder(StudyRun.AgoraStage), new LineProgress(context), context.Cancellation);
        AgoraPlots.WriteComparison(Path.Combine(context.Folder(StudyRun.AgoraStage), "comparison.png"), cells, setup.Task);

        var record = new StageRecord();
        foreach (var cell in cells)
        {
            string key = $"agora.n{cell.TrainSize}.seed{cell.Seed}";
            record.Figure($"{key}.plain_test", cell.PlainTest);
            record.Figure($"{key}.agora_test", cell.AgoraTest);
            record.Figure($"{key}.random_seeds_test", cell.RandomTest);
            record.Figure($"{key}.steps", cell.Steps);
            record.Figure($"{key}.generated", cell.AgoraGenerated);
            record.Figure($"{key}.kept", cell.AgoraKept);
        }
        foreach (var size in cells.GroupBy(c => c.TrainSize))
        {
            record.Figure($"agora.n{size.Key}.plain_test_mean", size.Average(c => c.PlainTest));
            record.Figure($"agora.n{size.Key}.agora_test_mean", size.Average(c => c.AgoraTest));
            record.Figure($"agora.n{size.Key}.random_seeds_test_mean", size.Average(c => c.RandomTest));
        }
        return record;
    }

    /// <summary>The student folder a pretraining stage (teacher or student) wrote.</summary>
    private static string ModelFolder(StudyContext context, string stage) => Path.Combine(context.Folder(stage), PretrainingRun.ModelFolder);

    private sealed class LineProgress(StudyContext context) : IProgress<string>
    {
        public void Report(string value) => context.Say($"agora: {value}");
    }
}
