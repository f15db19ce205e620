using System.Diagnostics;
using Ose.Search;
using Spectre.Console;

namespace Ose.Cli;

/// <summary>
/// Progress of a search: a bar with ETA on a terminal, a plain line every few seconds when output is redirected
/// (CI logs, files).
/// </summary>
public static class ProgressDisplay
{
    private static readonly TimeSpan PlainLineInterval = TimeSpan.FromSeconds(5);

    public static T Run<T>(Func<IProgress<SearchProgress>, T> work)
    {
        if (AnsiConsole.Profile.Capabilities.Interactive && !Console.IsOutputRedirected)
            return AnsiConsole.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(),
                    new ElapsedTimeColumn(), new RemainingTimeColumn(), new SpinnerColumn())
                .Start(context =>
                {
                    var task = context.AddTask("search");
                    return work(new Progress(report =>
                    {
                        task.Description = $"{report.Phase}: {report.Evaluations} evaluated";
                        if (report.Remaining is { } remaining)
                        {
                            task.MaxValue = Math.Max(1, report.Evaluations + remaining);
                            task.Value = report.Evaluations;
                        }
                    }));
                });

        var clock = Stopwatch.StartNew();
        TimeSpan? last = null;
        return work(new Progress(report =>
        {
            if (last is { } previous && clock.Elapsed - previous < PlainLineInterval) return;
            last = clock.Elapsed;
            string remaining = report.Remaining is { } r ? $", {r} open" : "";
            Console.Error.WriteLine($"[{clock.Elapsed:hh\\:mm\\:ss}] {report.Phase}: {report.Evaluations} evaluated{remaining}");
        }));
    }

    /// <summary>Calls back on the searcher's own thread, unlike <see cref="Progress{T}"/>, so bars update in step.</summary>
    private sealed class Progress(Action<SearchProgress> report) : IProgress<SearchProgress>
    {
        public void Report(SearchProgress value) => report(value);
    }
}
