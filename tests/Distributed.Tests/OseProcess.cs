using System.Diagnostics;

namespace Ose.Distributed.Tests;

/// <summary>Runs the real `ose` command (the built Ose.Cli.dll beside the tests) as separate processes.</summary>
internal static class OseProcess
{
    public sealed record Outcome(int ExitCode, string StandardOutput, string StandardError);

    /// <summary>A started `ose`; <see cref="Finish"/> waits for it and collects what it printed.</summary>
    public sealed class Running(Process process, Task<string> output, Task<string> error) : IDisposable
    {
        public Process Process { get; } = process;

        public Outcome Finish(TimeSpan timeout)
        {
            if (!Process.WaitForExit(timeout))
            {
                Process.Kill(entireProcessTree: true);
                Process.WaitForExit();
                throw new TimeoutException($"ose did not finish in {timeout}: {output.Result}{error.Result}");
            }
            return new Outcome(Process.ExitCode, output.Result, error.Result);
        }

        /// <summary>SIGKILL: the process dies on the spot, as on a node failure or the OOM killer.</summary>
        public void KillHard()
        {
            Process.Kill();
            Process.WaitForExit();
        }

        public void Dispose()
        {
            if (!Process.HasExited) Process.Kill(entireProcessTree: true);
            Process.Dispose();
        }
    }

    public static Running Start(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        // The test assemblies run side by side on 2 cores: one libtorch thread per training (workers inherit it).
        start.Environment["OMP_NUM_THREADS"] = "1";
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Ose.Cli.dll"));
        foreach (string argument in arguments) start.ArgumentList.Add(argument);
        var process = Process.Start(start)!;
        return new Running(process, process.StandardOutput.ReadToEndAsync(), process.StandardError.ReadToEndAsync());
    }

    public static Outcome Run(params string[] arguments)
    {
        using var running = Start(arguments);
        return running.Finish(TimeSpan.FromMinutes(3));
    }
}
