using System.Diagnostics;
using Xunit.Abstractions;

namespace Ose.Reliability.Tests;

/// <summary>
/// kill -9 at seeded random moments of search, pretrain, Agora and a small study, then the same command once more: every
/// output file is identical to an uninterrupted run's except the named timing fields (<see cref="OutputComparison"/>),
/// and the study passes --expect against the uninterrupted manifest.
/// </summary>
public sealed class KillResumeTests(TinyWorld world, ITestOutputHelper log) : IClassFixture<TinyWorld>
{
    private const int Kills = 3;

    [Theory]
    [InlineData("search", 11)]
    [InlineData("pretrain", 12)]
    [InlineData("agora run", 13)]
    [InlineData("run", 14)]
    public void Killed_at_random_points_and_resumed_a_run_writes_what_an_uninterrupted_run_writes(string command, int seed)
    {
        string reference = world.NewRun("reference"), killed = world.NewRun("killed");
        var clock = Stopwatch.StartNew();
        var uninterrupted = OseProcess.Run(LongCommands.Named(command, world, reference));
        Assert.True(uninterrupted.Code == 0, uninterrupted.ToString());
        double seconds = clock.Elapsed.TotalSeconds;

        // Each run resumes the one killed before it, so the kill points share the uninterrupted run's time between them.
        var random = new Random(seed);
        int landed = 0;
        for (int k = 0; k < Kills; k++)
        {
            double at = 0.3 + random.NextDouble() * seconds / Kills;
            using var running = OseProcess.Start(LongCommands.Named(command, world, killed));
            Thread.Sleep(TimeSpan.FromSeconds(at));
            running.KillHard();
            var exit = running.WaitForExit();
            if (exit.Code == 128 + OseProcess.SigKill) landed++;
            log.WriteLine($"kill {k + 1} at {at:F2} s (the uninterrupted run took {seconds:F2} s): exit {exit.Code}");
        }
        Assert.True(landed > 0, "every kill came after the run had finished");
        string[] last = LongCommands.Named(command, world, killed);
        if (command == "run") last = [.. last, "--expect", Path.Combine(reference, "manifest.json")];
        var resumed = OseProcess.Run(last);

        Assert.True(resumed.Code == 0, resumed.ToString());
        if (command == "run") Assert.Contains("every plot identical to", resumed.Output);
        OutputComparison.AssertSame(reference, killed);
    }
}
