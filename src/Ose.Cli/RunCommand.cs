using System.CommandLine;
using System.Diagnostics;
using Ose.Studies;

namespace Ose.Cli;

/// <summary><c>ose run</c>: a whole study from one config file (<see cref="StudyRun"/>), resumable, with a manifest to check.</summary>
public static class RunCommand
{
    public static Command Create()
    {
        var config = new Argument<string>("config") { Description = "the study: a JSON file such as configs/mini-study.json" };
        var output = new Option<string?>("--out") { Description = "run directory; running again resumes (default runs/<config name>)" };
        var expect = new Option<string?>("--expect") { Description = "an earlier run's manifest.json: fail unless every figure and plot is identical" };
        var device = new Option<string>("--device") { Description = "where training runs: cpu (default) or cuda; latency is always CPU", DefaultValueFactory = _ => "cpu" };
        var command = new Command("run", "re-run a study end to end: search → pretrain → fine-tune with and without Agora → latency → report and manifest")
        {
            config, output, expect, device, CommonOptions.Data,
        };
        command.SetAction((parse, cancellation) =>
        {
            string path = parse.GetValue(config)!;
            string outFolder = parse.GetValue(output) ?? Path.Combine("runs", Path.GetFileNameWithoutExtension(path));
            var clock = Stopwatch.StartNew();
            StudyOutcome outcome;
            try
            {
                outcome = StudyRun.Execute(path, outFolder, parse.GetValue(CommonOptions.Data), parse.GetValue(device)!,
                    new TimedLines(clock), cancellation);
            }
            catch (OperationCanceledException)
            {
                Console.Error.WriteLine($"ose: interrupted; finished stages and checkpoints are kept in {outFolder}: run the same command to resume");
                return Task.FromResult(130);
            }
            Console.WriteLine($"wrote {outcome.ReportPath} and {outcome.ManifestPath} ({outcome.Figures.Count} figures) in {clock.Elapsed.TotalMinutes:F1} min");
            if (parse.GetValue(expect) is { } expected)
            {
                var differences = ManifestCheck.Differences(outcome.ManifestPath, expected);
                if (differences.Count > 0)
                {
                    Console.Error.WriteLine($"ose: the run does not reproduce {expected} ({differences.Count} {(differences.Count == 1 ? "difference" : "differences")}): " +
                        $"{string.Join("; ", differences.Take(5))}{(differences.Count > 5 ? "; ..." : "")}");
                    return Task.FromResult(1);
                }
                Console.WriteLine($"all {outcome.Figures.Count} figures and every plot identical to {expected}");
            }
            return Task.FromResult(0);
        });
        return command;
    }

    /// <summary>Stage lines on stderr with the time since the start.</summary>
    private sealed class TimedLines(Stopwatch clock) : IProgress<string>
    {
        public void Report(string value) => Console.Error.WriteLine($"[{clock.Elapsed:hh\\:mm\\:ss}] {value}");
    }
}
