using System.CommandLine;
using System.Globalization;
using Ose.Models;
using Ose.Models.Sources;
using Ose.Plots;
using Ose.Tasks.Data;
using Ose.Training;
using Ose.Training.Distil;

namespace Ose.Cli;

/// <summary>
/// <c>ose pretrain</c>: masked-LM pretraining of one student on the prepared corpus, with distillation when a teacher is
/// given; or, with <c>--init extract</c>, a student cut out of a source with weights and distilled from it
/// (<see cref="DistillationRun"/>). Checkpoints every K steps; run it again on the same --out and it resumes on the same curve.
/// </summary>
public static class PretrainCommand
{
    private static readonly Option<string> Arch = new("--arch") { Description = "the student ⟨D,A,H,I⟩, e.g. 4,8,256,1024", Required = true };
    private static readonly Option<int> Steps = new Option<int>("--steps") { Description = "optimizer steps", Required = true }.AtLeast(1);
    private static readonly Option<int> Batch = new Option<int>("--batch") { Description = "sequences per step", DefaultValueFactory = _ => 32 }.AtLeast(1);
    private static readonly Option<int> Sequence = new Option<int>("--seq") { Description = "tokens per sequence", DefaultValueFactory = _ => 128 }.AtLeast(4);
    private static readonly Option<double> LearningRate = new Option<double>("--lr") { Description = "peak learning rate (AdamW)", DefaultValueFactory = _ => 1e-3 }.Positive();
    private static readonly Option<int?> Warmup = new Option<int?>("--warmup") { Description = "warm-up steps (default: 10% of --steps)" }.AtLeast(0);
    private static readonly Option<double?> WeightClip = new Option<double?>("--weight-clip") { Description = "clamp every weight to [-c, c] after each step" }.Positive();
    private static readonly Option<int> CheckpointEvery = new Option<int>("--checkpoint-every") { Description = "steps between checkpoints (0: none)", DefaultValueFactory = _ => 50 }.AtLeast(0);
    private static readonly Option<string?> Teacher = new("--teacher") { Description = "distil from this `ose pretrain` output folder: 0.1·CE + 0.5·T²·KL, T = 2; with --init extract, a source with weights (minilm, an ONNX file, a Hugging Face folder)" };
    private static readonly Option<string> Init = new Option<string>("--init") { Description = "random: a fresh student; extract: cut out of --teacher and distilled from it (held-out score every --checkpoint-every steps)", DefaultValueFactory = _ => "random" }
        .AcceptOnlyFromAmong("random", "extract");
    private static readonly Option<string> Out = CommonOptions.Out(Path.Combine("runs", "pretrain"));

    public static Command Create()
    {
        var command = new Command("pretrain", "masked-LM pretraining (with distillation from --teacher) of one student");
        foreach (var option in new Option[] { Arch, Steps, Batch, Sequence, LearningRate, Warmup, WeightClip, CheckpointEvery, Teacher, Init, CommonOptions.Seed, CommonOptions.Device, Out, OutputFolder.ForceRestart, CommonOptions.Data })
            command.Add(option);
        command.SetAction((parse, cancellation) => Task.FromResult(Run(parse, cancellation)));
        return command;
    }

    private static int Run(ParseResult parse, CancellationToken cancellation)
    {
        var ξ = Architecture.Parse(parse.GetValue(Arch)!, "--arch");
        var device = Devices.Parse(parse.GetValue(CommonOptions.Device)!);
        int steps = parse.GetValue(Steps);
        if (parse.GetValue(Warmup) is { } warmup && (warmup < 0 || warmup > steps))
            throw new UserInputException($"--warmup must lie in [0, --steps], got {warmup}");
        var θ = new HyperParameters(parse.GetValue(LearningRate), steps, parse.GetValue(Batch), parse.GetValue(Sequence),
            WarmupShare: parse.GetValue(Warmup) is { } w ? (double)w / steps : 0.1, WeightClip: parse.GetValue(WeightClip));
        θ.Validate();
        int checkpointEvery = parse.GetValue(CheckpointEvery);
        var data = DataDirectory.Resolve(parse.GetValue(CommonOptions.Data));
        string? teacher = parse.GetValue(Teacher);
        if (parse.GetValue(Init) == "extract") return RunExtracted(parse, ξ, θ, data, teacher, checkpointEvery, device, cancellation);
        if (teacher is not null && !Directory.Exists(teacher)) throw new UserInputException($"--teacher {teacher}: no such folder");
        var corpus = PretrainingCorpus.Load(data, θ.MaxLength);
        string outFolder = parse.GetValue(Out)!;
        using var folder = OutputFolder.Claim(parse, outFolder,
            new Shaping(parse).Add(Arch).Add(Steps).Add(Batch).Add(Sequence).Add(LearningRate).Add(Warmup).Add(WeightClip).Add(Teacher)
                .Add(CommonOptions.Seed).Add(CommonOptions.Device).Add(CommonOptions.Data.Name, data.Root).For("pretrain"),
            ("--teacher", teacher), ("--data", data.Root));
        var outcome = ProgressDisplay.Run<TrainingStep, PretrainingOutcome>(
            progress => PretrainingRun.Execute(ξ, corpus, θ, parse.GetValue(CommonOptions.Seed), checkpointEvery, device, teacher, outFolder,
                progress, cancellation),
            step => new ProgressState(step.Step, step.Steps, string.Create(CultureInfo.InvariantCulture,
                $"step {step.Step}/{step.Steps} loss {step.Loss:F3} lr {step.LearningRate:G3} {step.TokensPerSecond:F0} tok/s")));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{ξ}: held-out masked-LM loss {outcome.DevLossBefore:F3} → {outcome.DevLossAfter:F3} (ln V = {Math.Log(outcome.Config.V):F3}) after {outcome.Losses.Count} steps; wrote {outcome.ModelFolder}"));
        return 0;
    }

    private static int RunExtracted(ParseResult parse, Architecture ξ, HyperParameters θ, DataDirectory data, string? teacher, int evaluateEvery,
        TorchSharp.torch.Device device, CancellationToken cancellation)
    {
        if (teacher is null) throw new UserInputException("--init extract needs --teacher: the source to cut the student out of (minilm, an ONNX file, a Hugging Face folder)");
        if (evaluateEvery < 1) throw new UserInputException("--init extract evaluates at every checkpoint: --checkpoint-every must be at least 1");
        var source = WeightedSource.Resolve(teacher, data);
        string outFolder = parse.GetValue(Out)!;
        using var folder = OutputFolder.Claim(parse, outFolder,
            new Shaping(parse).Add(Arch).Add(Steps).Add(Batch).Add(Sequence).Add(LearningRate).Add(Warmup).Add(CheckpointEvery).Add(Teacher).Add(Init)
                .Add(CommonOptions.Seed).Add(CommonOptions.Device).Add(CommonOptions.Data.Name, data.Root).For("pretrain"),
            ("--teacher", source.Location), ("--data", data.Root));
        var outcome = ProgressDisplay.Run<TrainingStep, DistillationOutcome>(
            progress => DistillationRun.Execute(source, ξ, data, θ, parse.GetValue(CommonOptions.Seed), evaluateEvery, device, outFolder, progress, cancellation),
            step => new ProgressState(step.Step, step.Steps, string.Create(CultureInfo.InvariantCulture,
                $"step {step.Step}/{step.Steps} loss {step.Loss:F4} lr {step.LearningRate:G3} {step.TokensPerSecond:F0} tok/s")));
        TrainingPlots.WriteHeldOutCurve(Path.Combine(outFolder, "distil.png"), $"{ξ} distilled from {source.Name}", "held-out error (1 − R² + KL)",
            outcome.Curve.Select(p => (p.Step, p.Score.Error)).ToArray());
        var (first, last) = (outcome.Curve[0], outcome.Curve[^1]);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{ξ} cut out of {source.Name}: held-out distillation error {first.Score.Error:F4} → {last.Score.Error:F4} after {last.Step} steps; wrote {outcome.ModelFolder}, distil.csv, distil.png"));
        return 0;
    }
}
