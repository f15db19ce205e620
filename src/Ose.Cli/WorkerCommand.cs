using System.CommandLine;
using Ose.Runs;
using Ose.Search;
using Ose.Training;

namespace Ose.Cli;

/// <summary>
/// <c>ose worker</c>: claims and evaluates the trials of a study until the search is over (or, with
/// <c>--until-empty</c>, until nothing waits or runs). Any number may run, on any machines that reach the store and
/// share the run folder's file system: Slurm's array tasks and Kubernetes' indexed pods only start them.
/// </summary>
public static class WorkerCommand
{
    private static readonly Option<bool> UntilEmpty = new("--until-empty")
    {
        Description = "stop as soon as the study has nothing waiting or running (else: when its search has finished)",
    };
    private static readonly Option<string?> Name = new("--name")
    {
        Description = "this worker's name in leases and `ose status` (default HOST-PID; a Slurm array or Kubernetes index is a good suffix)",
    };
    private static readonly Option<string> Lease = new("--lease")
    {
        Description = "how long a claim holds without a heartbeat (heartbeats every third of it); an expired lease is claimable by others",
        DefaultValueFactory = _ => "10m",
    };

    public static Command Create()
    {
        var command = new Command("worker", "claim and evaluate the trials of a search run by workers (docs/distributed.md)");
        foreach (var option in new Option[] { Storage.Url, Storage.Study, UntilEmpty, Name, Lease })
            command.Add(option);
        command.SetAction((parse, cancellation) => Task.FromResult(Run(parse, cancellation)));
        return command;
    }

    private static int Run(ParseResult parse, CancellationToken cancellation)
    {
        string url = parse.GetValue(Storage.Url) ?? throw new UserInputException("ose worker needs --storage URL (the search's trial store)");
        var lease = Durations.Parse(parse.GetValue(Lease)!, Lease.Name);
        if (lease < TimeSpan.FromSeconds(1)) throw new UserInputException($"--lease must be at least 1s, got {parse.GetValue(Lease)}");
        string name = parse.GetValue(Name) ?? $"{Environment.MachineName}-{Environment.ProcessId}";
        using var queue = Storage.Open(url);
        var study = Storage.FindStudy(queue, parse.GetValue(Storage.Study)!);
        var request = StudyRequest.Parse(study.Request, study.Name);
        var error = SearchRun.ErrorFor(request.Search, SearchErrors.Factory(request.Data, request.Device), new EvaluationSteps(),
            SearchErrors.Sources(request.Data));
        var options = new WorkerOptions(name, lease, TimeSpan.FromSeconds(1), parse.GetValue(UntilEmpty),
            SearchErrors.CheckpointFolder(request.Search, request.Data));
        Console.Error.WriteLine($"worker {name}: study '{study.Name}' in {queue.Description}");
        var summary = TrialWorker.Run(queue, study.Name, error, options, line => Console.Error.WriteLine($"worker {name}: {line}"), cancellation);
        Console.WriteLine($"worker {name}: {summary.Completed} completed, {summary.Failed} failed, {summary.LeasesLost} leases lost");
        if (cancellation.IsCancellationRequested) throw new OperationCanceledException(cancellation);
        return 0;
    }
}
