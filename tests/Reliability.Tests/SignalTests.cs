using Xunit.Abstractions;

namespace Ose.Reliability.Tests;

/// <summary>
/// Ctrl+C (SIGINT) and SIGTERM during each long command: it stops at its next safe point, says so in one line, exits
/// with 130, and the same command run again finishes the work.
/// </summary>
public sealed class SignalTests(TinyWorld world, ITestOutputHelper log) : IClassFixture<TinyWorld>
{
    public static IEnumerable<object[]> Cases =>
        from command in new[] { "pretrain", "finetune", "agora run", "agora compare", "search", "run" }
        from signal in new[] { OseProcess.SigInt, OseProcess.SigTerm }
        select new object[] { command, signal };

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_signal_during_a_long_command_stops_it_in_one_line_with_exit_130_and_it_resumes(string command, int signal)
    {
        string output = world.NewRun(command.Replace(' ', '-'));
        var arguments = LongCommands.Named(command, world, output);

        OseExit interrupted;
        using (var running = OseProcess.Start(arguments))
        {
            Assert.True(running.WaitForProgress(TimeSpan.FromMinutes(2)), "the command ended before it could be interrupted");
            running.Signal(signal);
            interrupted = running.WaitForExit();
        }
        log.WriteLine(interrupted.ToString());

        Assert.True(interrupted.Code == 130, interrupted.ToString());
        string name = signal == OseProcess.SigInt ? "SIGINT" : "SIGTERM";
        Assert.Equal($"ose: interrupted by {name}; finished work and checkpoints are kept in {output}: run the same command to resume",
            Assert.Single(interrupted.OseLines));
        Assert.DoesNotContain("   at ", interrupted.Error);

        var resumed = OseProcess.Run(arguments);
        Assert.True(resumed.Code == 0, resumed.ToString());
    }
}
