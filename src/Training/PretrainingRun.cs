using System.Globalization;
using System.Text;
using Ose.IO;
using Ose.Models.Checkpoints;
using Ose.Models;
using Ose.Reporting;
using static TorchSharp.torch;

namespace Ose.Training;

/// <summary>What one pretraining did: held-out masked-LM loss before and after, and the loss of every step.</summary>
public sealed record PretrainingOutcome(EncoderConfig Config, double DevLossBefore, double DevLossAfter, IReadOnlyList<double> Losses, string ModelFolder);

/// <summary>
/// One student pretrained into an output folder (<c>ose pretrain</c>, and a study's teacher and student): checkpoints
/// in the folder, so running it again resumes on the same loss curve; then <c>pretrain.csv</c> (loss per step) and
/// <c>model/</c> (a student folder). With a teacher folder, the loss adds distillation (<see cref="Distillation"/>).
/// </summary>
public static class PretrainingRun
{
    public const string CurveFile = "pretrain.csv";
    public const string ModelFolder = "model";

    /// <summary>The model folder of a run's output folder (its model/ inside), or <paramref name="path"/> itself.</summary>
    public static string ModelFolderOf(string path)
    {
        string inner = Path.Combine(path, ModelFolder);
        return File.Exists(Path.Combine(inner, StudentFolder.ConfigFile)) ? inner : path;
    }

    /// <param name="θ">How to train; its <see cref="HyperParameters.MaxLength"/> is the corpus's sequence length.</param>
    public static PretrainingOutcome Execute(Architecture ξ, PretrainingCorpus corpus, HyperParameters θ, long seed, int checkpointEvery,
        Device device, string? teacherFolder, string outFolder, IProgress<TrainingStep>? progress = null, CancellationToken cancellation = default)
    {
        θ.Validate();
        int sequenceLength = corpus.Train[0].Length;
        if (θ.MaxLength != sequenceLength)
            throw new ArgumentException($"the corpus is packed in sequences of {sequenceLength} tokens, θ asks for {θ.MaxLength}");
        var run = RunDirectory.Prepare(outFolder);
        var shape = new FixedShape(corpus.Tokens.VocabularySize, Math.Max(512, sequenceLength), 2, HasPooler: false);
        var config = EncoderConfig.From(ξ, shape);

        manual_seed(seed);
        using var model = new BertForMaskedLM(config, device);
        using var teacher = teacherFolder is null ? null : StudentFolder.Load(teacherFolder, device);
        if (teacher is not null && teacher.Bert.Config.V != config.V)
            throw new UserInputException($"the teacher in {teacherFolder} has a vocabulary of {teacher.Bert.Config.V} tokens, the corpus {config.V}");
        var trainer = new Pretrainer(model, corpus.Tokens, θ, seed, device, teacher is null ? null : new Distillation(teacher));

        double before = trainer.Evaluate(corpus.Dev);
        var losses = trainer.Train(corpus.Train, new TrainingCheckpoint(run.Path), checkpointEvery, progress, cancellation);
        double after = trainer.Evaluate(corpus.Dev);

        var curve = new StringBuilder("step,loss\n");
        for (int s = 0; s < losses.Count; s++) curve.Append(CultureInfo.InvariantCulture, $"{s + 1},{losses[s]:R}\n");
        CrashSafe.WriteText(run.File(CurveFile), curve.ToString());
        StudentFolder.Save(model, config, new TrainingRecord(θ, seed), run.File(ModelFolder));
        return new PretrainingOutcome(config, before, after, losses, run.File(ModelFolder));
    }
}
