using Ose.Training;
using System.CommandLine;
using System.Globalization;
using Ose.Objectives;
using Ose.Search;
using Ose.Spaces;
using Ose.Store;

namespace Ose.Cli;

/// <summary>
/// <c>ose status</c>: a study's trials by state, the leases in flight (owner, how long held, when they expire), the best
/// W among completed trials so far, the certificate of the last search run that ended (its run folder's search.json), and
/// the time the queue still needs at the pace seen so far.
/// </summary>
public static class StatusCommand
{
    public static Command Create()
    {
        var command = new Command("status", "show a distributed search's trials: counts by state, leases in flight, best so far");
        command.Add(Storage.Url);
        command.Add(Storage.Study);
        command.SetAction(parse => Run(parse));
        return command;
    }

    private static int Run(ParseResult parse)
    {
        string url = parse.GetValue(Storage.Url) ?? throw new UserInputException("ose status needs --storage URL");
        using var queue = Storage.Open(url);
        var study = Storage.FindStudy(queue, parse.GetValue(Storage.Study)!);
        var trials = queue.Trials(study.Id);
        var counts = Enum.GetValues<TrialState>().ToDictionary(s => s, s => trials.Count(t => t.State == s));
        Console.WriteLine($"study '{study.Name}' in {queue.Description}: {(study.Finished ? "search finished" : "search running or stopped")}");
        Console.WriteLine(string.Join(", ", counts.Select(c => $"{c.Value} {c.Key.ToString().ToLowerInvariant()}")));
        foreach (var t in trials.Where(t => t.State == TrialState.Running))
            Console.WriteLine($"  lease: {t.Spec.Architecture.ToShortString()} attempt {t.Attempt}/{t.MaxAttempts}, {t.Owner}, held {Seconds(t.Held)}, "
                + (t.ExpiresIn is { } expires && expires > TimeSpan.Zero ? $"expires in {Seconds(expires)}" : "expired"));
        foreach (var t in trials.Where(t => t.State == TrialState.Failed))
            Console.WriteLine($"  failed: {t.Spec.Architecture.ToShortString()} after {t.Attempt} attempt(s): {t.Failure}");
        var request = StudyRequest.Parse(study.Request, study.Name);
        Console.WriteLine(Best(request, trials));
        if (LastCertificate(request.Search.OutputDirectory) is { } certificate)
            Console.WriteLine($"certificate of the last search run that ended: {certificate}");
        var done = trials.Where(t => t.State == TrialState.Complete && t.Seconds is not null).ToList();
        int left = counts[TrialState.Waiting] + counts[TrialState.Running];
        if (done.Count > 0 && left > 0)
        {
            double eta = left * done.Average(t => t.Seconds!.Value) / Math.Max(1, counts[TrialState.Running]);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"queue: {left} to go, about {Seconds(TimeSpan.FromSeconds(eta))} at {Math.Max(1, counts[TrialState.Running])} at a time (the search may enqueue more)"));
        }
        return 0;
    }

    /// <summary>The completed trial of best W (repeats aside), with T as the search takes it: the source or the largest candidate.</summary>
    private static string Best(StudyRequest request, IReadOnlyList<TrialRecord> trials)
    {
        var completed = trials.Where(t => t.State == TrialState.Complete && t.Spec.Repeat == 0).ToList();
        if (completed.Count == 0) return "best so far: none (no trial completed)";
        var source = SearchErrors.Sources(request.Data)(request.Search.Source);
        var candidates = SearchSpace.Resolve(request.Search.Space ?? source.DefaultSpace).Candidates;
        var p = new ParameterSize(source.Shape);
        var i = new InferenceCost(source.Shape, request.Search.SequenceLength);
        double pT = Math.Max(p.Evaluate(source.Architecture), candidates.Max(ξ => p.Evaluate(ξ)));
        double iT = Math.Max(i.Evaluate(source.Architecture), candidates.Max(ξ => i.Evaluate(ξ)));
        var best = completed.MaxBy(t => WCoefficient.Of(p.Evaluate(t.Spec.Architecture), i.Evaluate(t.Spec.Architecture), t.Error!.Value, pT, iT))!;
        double w = WCoefficient.Of(p.Evaluate(best.Spec.Architecture), i.Evaluate(best.Spec.Architecture), best.Error!.Value, pT, iT);
        return string.Create(CultureInfo.InvariantCulture,
            $"best so far: {best.Spec.Architecture} W = {w:G6}, error {best.Error:G6} (uncertified: `ose search` certifies when it finishes)");
    }

    /// <summary>The certificate the search wrote when it last ended (search.json in its run folder), where this machine sees that folder.</summary>
    private static string? LastCertificate(string runFolder)
    {
        string path = Path.Combine(runFolder, "search.json");
        if (!File.Exists(path)) return null;
        try
        {
            using var manifest = System.Text.Json.JsonDocument.Parse(File.ReadAllText(path));
            return manifest.RootElement.GetProperty("certificate").GetProperty("statement").GetString();
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or KeyNotFoundException or IOException)
        {
            return null;
        }
    }

    private static string Seconds(TimeSpan? span) => span is { } s ? string.Create(CultureInfo.InvariantCulture, $"{s.TotalSeconds:F0}s") : "?";
}
