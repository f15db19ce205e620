using System.Diagnostics;
using Spectre.Console;

namespace Ose.Cli;

/// <summary>How far a piece of work is: units done, units planned if known, and a line saying what is happening.</summary>
public readonly record struct ProgressState(double Done, double? Total, string Description);

/// <summary>
/// Progress of long work: a bar with ETA on a terminal, a plain line every few seconds when output is redirected
/// (CI logs, files).
/// </summary>
public static class ProgressDisplay
{
    private static readonly TimeSpan PlainLineInterval = TimeSpan.FromSeconds(5);

    public static T Run<TReport, T>(Func<IProgress<TReport>, T> work, Func<TReport, ProgressState> describe)
    {
        if (AnsiConsole.Profile.Capabilities.Interactive && !Console.IsOutputRedirected)
            return AnsiConsole.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(),
                    new ElapsedTimeColumn(), new RemainingTimeColumn(), new SpinnerColumn())
                .Start(context =>
                {
                    var task = context.AddTask("starting");
                    return work(new SyncProgress<TReport>(report =>
                    {
                        var state = describe(report);
                        task.Description = Markup.Escape(state.Description);
                        if (state.Total is { } total)
                        {
                            task.MaxValue = Math.Max(1, total);
                            task.Value = state.Done;
                        }
                    }));
                });

        var clock = Stopwatch.StartNew();
        TimeSpan? last = null;
        return work(new SyncProgress<TReport>(report =>
        {
            if (last is { } previous && clock.Elapsed - previous < PlainLineInterval) return;
            last = clock.Elapsed;
            Console.Error.WriteLine($"[{clock.Elapsed:hh\\:mm\\:ss}] {describe(report).Description}");
        }));
    }
}

/// <summary>Calls back on the worker's own thread, unlike <see cref="System.Progress{T}"/>, so reports arrive in order.</summary>
sealed class SyncProgress<TReport>(Action<TReport> report) : IProgress<TReport>
{
    public void Report(TReport value) => report(value);
}
