using System.CommandLine;
using System.Globalization;
using Ose.Models;
using Ose.Tasks.Data;
using Ose.Training;

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
    private static readonly Option<string> Out = CommonOptions.Out(Path.Combine("runs", "pretrain"));

    public static Command Create()
    {
        var command = new Command("pretrain", "masked-LM pretraining (with distillation from --teacher) of one student");
        foreach (var option in new Option[] { Arch, Steps, Batch, Sequence, LearningRate, Warmup, WeightClip, CheckpointEvery, Teacher, CommonOptions.Seed, CommonOptions.Device, Out, CommonOptions.Data })
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
        if (checkpointEvery < 0) throw new UserInputException($"--checkpoint-every must not be negative, got {checkpointEvery}");
        var corpus = PretrainingCorpus.Load(DataDirectory.Resolve(parse.GetValue(CommonOptions.Data)), θ.MaxLength);
        var outcome = ProgressDisplay.Run<TrainingStep, PretrainingOutcome>(
            progress => PretrainingRun.Execute(ξ, corpus, θ, parse.GetValue(CommonOptions.Seed), checkpointEvery, device, parse.GetValue(Teacher), parse.GetValue(Out)!,
                progress, cancellation),
            step => new ProgressState(step.Step, step.Steps, string.Create(CultureInfo.InvariantCulture,
                $"step {step.Step}/{step.Steps} loss {step.Loss:F3} lr {step.LearningRate:G3} {step.TokensPerSecond:F0} tok/s")));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{ξ}: held-out masked-LM loss {outcome.DevLossBefore:F3} → {outcome.DevLossAfter:F3} (ln V = {Math.Log(outcome.Config.V):F3}) after {outcome.Losses.Count} steps; wrote {outcome.ModelFolder}"));
        return 0;
    }
}
