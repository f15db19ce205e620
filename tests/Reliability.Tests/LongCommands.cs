using System.Globalization;

namespace Ose.Reliability.Tests;

/// <summary>The commands that run long enough to be interrupted, sized for the tiny world: seconds each.</summary>
internal static class LongCommands
{
    public static string[] Pretrain(TinyWorld world, string output, int steps = 200) =>
        ["pretrain", "--arch", "2,2,32,64", "--steps", Number(steps), "--batch", "4", "--seq", "16", "--checkpoint-every", "50",
         "--data", world.Data, "--out", output];

    public static string[] Finetune(TinyWorld world, string output, int steps = 200) =>
        ["finetune", "--model", world.Student, "--task", world.Task, "--steps", Number(steps), "--eval-every", "50", "--max-length", "16",
         "--lr", "3e-3", "--data", world.Data, "--out", output];

    public static string[] Agora(TinyWorld world, string output) =>
        ["agora", "run", "--model", world.Student, "--task", world.Task, "--labeller", world.Labeller, "--theta", world.Theta,
         "--train-size", "16", "--rounds", "2", "--k", "2", "--force", "--data", world.Data, "--out", output];

    public static string[] Compare(TinyWorld world, string output) =>
        ["agora", "compare", "--model", world.Student, "--task", world.Task, "--labeller", world.Labeller, "--theta", world.Theta,
         "--train-sizes", "16", "--seeds", "2", "--rounds", "1", "--k", "2", "--force", "--data", world.Data, "--out", output];

    /// <summary>A search with trained errors over the 8-candidate space: ⌈10/ε⌉ steps per candidate.</summary>
    public static string[] Search(TinyWorld world, string output, double epsilon = 0.3) =>
        ["search", "--source", world.Source, "--space", world.Space, "--epsilon", epsilon.ToString(CultureInfo.InvariantCulture),
         "--data", world.Data, "--out", output];

    public static string[] Study(TinyWorld world, string output) => ["run", world.Study, "--data", world.Data, "--out", output];

    public static string[] Named(string name, TinyWorld world, string output) => name switch
    {
        "pretrain" => Pretrain(world, output),
        // 200 steps can end before the signal lands (then the process exits by the signal's default, without a line).
        "finetune" => Finetune(world, output, steps: 1000),
        "agora run" => Agora(world, output),
        "agora compare" => Compare(world, output),
        "search" => Search(world, output),
        "run" => Study(world, output),
        _ => throw new ArgumentException(name),
    };

    private static string Number(int n) => n.ToString(CultureInfo.InvariantCulture);
}
