using System.Diagnostics;

namespace Ose.Cli.Tests;

/// <summary>Runs the real `ose` command (the built Ose.Cli.dll beside the tests) as a separate process.</summary>
internal static class OseProcess
{
    public sealed record Outcome(int ExitCode, string StandardOutput, string StandardError);

    public static Outcome Run(params string[] arguments)
    {
        string cli = Path.Combine(AppContext.BaseDirectory, "Ose.Cli.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        // The test assemblies run side by side on 2 cores: one libtorch thread keeps its OpenMP threads from spin-waiting.
        start.Environment["OMP_NUM_THREADS"] = "1";
        start.ArgumentList.Add(cli);
        foreach (string argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2))) process.Kill(entireProcessTree: true);
        return new Outcome(process.ExitCode, output.Result, error.Result);
    }
}
