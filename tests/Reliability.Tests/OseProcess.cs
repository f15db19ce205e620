using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Ose.Reliability.Tests;

/// <summary>How an `ose` process ended: its exit code and everything it wrote.</summary>
internal sealed record OseExit(int Code, string Output, string Error)
{
    public string[] ErrorLines => Error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>The lines that say how the command ended (progress lines go to stderr too).</summary>
    public string[] OseLines => ErrorLines.Where(line => line.StartsWith("ose: ", StringComparison.Ordinal)).ToArray();

    public override string ToString() => $"exit {Code}\nstderr:\n{Error}\nstdout:\n{Output}";
}

/// <summary>
/// The real `ose` command (the built Ose.Cli.dll beside the tests) as a separate process that a test can wait for, read,
/// signal or kill -9 while it runs.
/// </summary>
internal sealed class OseProcess : IDisposable
{
    public static string Cli => Path.Combine(AppContext.BaseDirectory, "Ose.Cli.dll");

    private readonly Process process;
    private readonly List<string> output = [], error = [];
    private readonly SemaphoreSlim errorLine = new(0);

    private OseProcess(IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        // Several test assemblies run side by side on 2 cores: one libtorch thread keeps OpenMP from spin-waiting.
        start.Environment["OMP_NUM_THREADS"] = "1";
        start.ArgumentList.Add(Cli);
        foreach (string argument in arguments) start.ArgumentList.Add(argument);
        process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.Add(e.Data); };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (error) error.Add(e.Data);
            errorLine.Release();
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public static OseProcess Start(params string[] arguments) => new(arguments);

    public static OseExit Run(params string[] arguments)
    {
        using var running = Start(arguments);
        return running.WaitForExit();
    }

    /// <summary>Waits until the process writes a line on stderr (a progress line: work has begun) or ends; false when it ended first.</summary>
    public bool WaitForProgress(TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < until)
        {
            if (errorLine.Wait(TimeSpan.FromMilliseconds(50))) return !process.HasExited;
            if (process.HasExited) return false;
        }
        throw new TimeoutException($"no progress line in {timeout}");
    }

    public void Signal(int signal)
    {
        if (Kill(process.Id, signal) != 0 && !process.HasExited) throw new InvalidOperationException($"kill({process.Id}, {signal}) failed");
    }

    /// <summary>kill -9: no handler runs, no finally block, no flush; what the process left on disk is what a crash leaves.</summary>
    public void KillHard()
    {
        if (!process.HasExited) Signal(SigKill);
    }

    public OseExit WaitForExit(TimeSpan? timeout = null)
    {
        if (!process.WaitForExit(timeout ?? TimeSpan.FromMinutes(3)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"ose did not end in {timeout}: {string.Join('\n', error)}");
        }
        process.WaitForExit();   // drains the redirected streams
        lock (error) lock (output) return new OseExit(process.ExitCode, string.Join('\n', output), string.Join('\n', error));
    }

    public void Dispose()
    {
        if (!process.HasExited) process.Kill(entireProcessTree: true);
        process.Dispose();
        errorLine.Dispose();
    }

    public const int SigInt = 2, SigKill = 9, SigTerm = 15;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
