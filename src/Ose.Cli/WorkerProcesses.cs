using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Ose.Cli;

/// <summary>
/// The K local <c>ose worker</c> processes of <c>ose search --workers K</c>: the same program, each logging to
/// <c>workers/wN.log</c> in the run folder. Disposing asks each to stop (SIGTERM: it hands its trial back) and waits.
/// </summary>
sealed class WorkerProcesses : IDisposable
{
    private const int SigTerm = 15;
    private static readonly TimeSpan StopWait = TimeSpan.FromSeconds(30);

    private readonly List<(Process Process, StreamWriter Log)> workers = [];

    public WorkerProcesses(int count, string storage, string study, string runFolder)
    {
        string logs = Path.Combine(runFolder, "workers");
        Directory.CreateDirectory(logs);
        for (int n = 1; n <= count; n++)
        {
            var start = Program();
            foreach (string argument in new[] { "worker", "--storage", storage, "--study", study, "--name", $"{Environment.MachineName}-w{n}" })
                start.ArgumentList.Add(argument);
            start.RedirectStandardOutput = start.RedirectStandardError = true;
            var log = new StreamWriter(Path.Combine(logs, $"w{n}.log"), append: true) { AutoFlush = true };
            var process = Process.Start(start)!;
            process.OutputDataReceived += (_, line) => Write(log, line.Data);
            process.ErrorDataReceived += (_, line) => Write(log, line.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            workers.Add((process, log));
        }
    }

    public void Dispose()
    {
        foreach (var (process, _) in workers)
            if (!process.HasExited) Kill(process.Id, SigTerm);
        foreach (var (process, log) in workers)
        {
            if (!process.WaitForExit(StopWait)) process.Kill(entireProcessTree: true);
            process.WaitForExit();
            process.Dispose();
            log.Dispose();
        }
    }

    /// <summary>This program again: its apphost, or <c>dotnet Ose.Cli.dll</c> when it runs under dotnet.</summary>
    private static ProcessStartInfo Program()
    {
        string host = Environment.ProcessPath ?? "dotnet";
        var start = new ProcessStartInfo(host);
        if (Path.GetFileNameWithoutExtension(host) == "dotnet") start.ArgumentList.Add(typeof(WorkerProcesses).Assembly.Location);
        return start;
    }

    private static void Write(StreamWriter log, string? line)
    {
        if (line is null) return;
        // Both streams of a worker write here; the process has exited before its log is closed, so no line comes after.
        lock (log) log.WriteLine(line);
    }

    [DllImport("libc", EntryPoint = "kill")]
    private static extern int Kill(int pid, int signal);
}
