using System.CommandLine;
using System.Globalization;
using System.Text;
using Ose.Models;
using Ose.Models.Data;
using Ose.Models.Checkpoints;
using Ose.Models.Training;
using Ose.Reporting;
using static TorchSharp.torch;

namespace Ose.Cli;

/// <summary>
/// <c>ose pretrain</c>: masked-LM pretraining of one student on the prepared corpus, with distillation when a teacher is
/// given. Checkpoints every K steps; run it again on the same --out and it resumes on the same loss curve.
/// </summary>
public static class PretrainCommand
{
    private static readonly Option<string> Arch = new("--arch") { Description = "the student ⟨D,A,H,I⟩, e.g. 4,8,256,1024", Required = true };
    private static readonly Option<int> Steps = new("--steps") { Description = "optimizer steps", Required = true };
    private static readonly Option<int> Batch = new("--batch") { Description = "sequences per step", DefaultValueFactory = _ => 32 };
    private static readonly Option<int> Sequence = new("--seq") { Description = "tokens per sequence", DefaultValueFactory = _ => 128 };
    private static readonly Option<double> LearningRate = new("--lr") { Description = "peak learning rate (AdamW)", DefaultValueFactory = _ => 1e-3 };
    private static readonly Option<int?> Warmup = new("--warmup") { Description = "warm-up steps (default: 10% of --steps)" };
    private static readonly Option<double?> WeightClip = new("--weight-clip") { Description = "clamp every weight to [-c, c] after each step" };
    private static readonly Option<int> CheckpointEvery = new("--checkpoint-every") { Description = "steps between checkpoints", DefaultValueFactory = _ => 50 };
    private static readonly Option<string?> Teacher = new("--teacher") { Description = "distil from this `ose pretrain` output folder: 0.1·CE + 0.5·T²·KL, T = 2" };
    private static readonly Option<long> Seed = new("--seed") { DefaultValueFactory = _ => 0 };
    private static readonly Option<string> Device = new("--device") { Description = "cpu (default) or cuda", DefaultValueFactory = _ => "cpu" };
    private static readonly Option<string> Out = new("--out") { Description = "output folder; running again resumes", DefaultValueFactory = _ => Path.Combine("runs", "pretrain") };

    public static Command Create()
    {
        var command = new Command("pretrain", "masked-LM pretraining (with distillation from --teacher) of one student");
        foreach (var option in new Option[] { Arch, Steps, Batch, Sequence, LearningRate, Warmup, WeightClip, CheckpointEvery, Teacher, Seed, Device, Out, DataCommand.DataOption })
            command.Add(option);
        command.SetAction((parse, cancellation) => Task.FromResult(Run(parse, cancellation)));
        return command;
    }

    private static int Run(ParseResult parse, CancellationToken cancellation)
    {
        var ξ = ParseArchitecture(parse.GetValue(Arch)!);
        var device = Devices.Parse(parse.GetValue(Device)!);
        int steps = parse.GetValue(Steps);
        var options = new PretrainingOptions(steps, parse.GetValue(Batch), parse.GetValue(LearningRate),
            parse.GetValue(Warmup) ?? steps / 10, WeightClip: parse.GetValue(WeightClip),
            CheckpointEvery: parse.GetValue(CheckpointEvery), Seed: parse.GetValue(Seed));
        options.Validate();
        var run = RunDirectory.Prepare(parse.GetValue(Out)!);
        var corpus = PretrainingCorpus.Load(DataDirectory.Resolve(parse.GetValue(DataCommand.DataOption)), parse.GetValue(Sequence));
        var shape = new FixedShape(corpus.Tokens.VocabularySize, Math.Max(512, parse.GetValue(Sequence)), 2, HasPooler: false);
        var config = EncoderConfig.From(ξ, shape);

        manual_seed(options.Seed);
        using var model = new BertForMaskedLM(config, device);
        using var teacher = parse.GetValue(Teacher) is { } teacherFolder ? StudentFolder.Load(teacherFolder, device) : null;
        var trainer = new Pretrainer(model, corpus.Tokens, options, device, teacher is null ? null : new Distillation(teacher));

        double devBefore = trainer.Evaluate(corpus.Dev, options.Seed);
        var losses = ProgressDisplay.Run<TrainingStep, IReadOnlyList<double>>(
            progress => trainer.Train(corpus.Train, run.Path, progress, cancellation),
            step => new ProgressState(step.Step, step.Steps, string.Create(CultureInfo.InvariantCulture,
                $"step {step.Step}/{step.Steps} loss {step.Loss:F3} lr {step.LearningRate:G3} {step.TokensPerSecond:F0} tok/s")));
        double devAfter = trainer.Evaluate(corpus.Dev, options.Seed);

        var curve = new StringBuilder("step,loss\n");
        for (int s = 0; s < losses.Count; s++) curve.Append(CultureInfo.InvariantCulture, $"{s + 1},{losses[s]:R}\n");
        AtomicFile.WriteText(run.File("pretrain.csv"), curve.ToString());
        StudentFolder.Save(model, config, run.File("model"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{ξ}: held-out masked-LM loss {devBefore:F3} → {devAfter:F3} (ln V = {Math.Log(config.V):F3}) after {losses.Count} steps; wrote {run.File("model")}"));
        return 0;
    }

    private static Architecture ParseArchitecture(string text)
    {
        var parts = text.Split(',');
        if (parts.Length != 4 || !parts.All(p => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out _)))
            throw new UserInputException($"--arch must be D,A,H,I (four positive integers), got '{text}'");
        var ξ = new Architecture(int.Parse(parts[0], CultureInfo.InvariantCulture), int.Parse(parts[1], CultureInfo.InvariantCulture),
            int.Parse(parts[2], CultureInfo.InvariantCulture), int.Parse(parts[3], CultureInfo.InvariantCulture));
        if (!ξ.IsValid) throw new UserInputException($"--arch {text}: every size must be positive and A must divide H");
        return ξ;
    }
}
