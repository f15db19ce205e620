using System.Diagnostics;
using Ose.Objectives;
using Ose.Store;

namespace Ose.Runs;

/// <summary>
/// How a worker behaves: its name in leases, the lease it takes, how often it looks for work, when it stops, and where
/// its evaluations checkpoint (recorded in the trial, so the next claimer of an expired lease resumes from it on a shared
/// file system).
/// </summary>
public sealed record WorkerOptions(string Owner, TimeSpan Lease, TimeSpan Poll, bool UntilEmpty, string? CheckpointPath = null);

/// <summary>What one worker did, for its last line.</summary>
public sealed record WorkerSummary(int Completed, int Failed, int LeasesLost);

/// <summary>
/// <c>ose worker</c> (DESIGN §4): claims one trial of a study at a time, evaluates it while a heartbeat keeps its lease,
/// and writes the result fenced by the claim's token, so that a worker whose lease was taken (it stalled past expiry and
/// another worker claimed the trial) discards its result instead of completing the trial twice. A worker decides nothing
/// about the search: the search enqueues what is worth evaluating. It stops when told to (handing back its trial), when
/// the search has finished and nothing is left to claim, or with <see cref="WorkerOptions.UntilEmpty"/> as soon as the
/// study has nothing waiting or running.
/// </summary>
public static class TrialWorker
{
    public static WorkerSummary Run(TrialQueue queue, string studyName, ErrorProvider error, WorkerOptions options,
        Action<string> log, CancellationToken cancellation)
    {
        var study = queue.FindStudy(studyName) ?? throw new UserInputException($"no study '{studyName}' in {queue.Description}");
        int completed = 0, failed = 0, lost = 0;
        // Idle, a worker looks again after 20 ms, then half as long again each time, up to the poll interval: a search waiting on
        // its round is served at once, an idle fleet does not hammer the database.
        var idle = FirstLook;
        while (!cancellation.IsCancellationRequested)
        {
            var claim = queue.Claim(study.Id, options.Owner, options.Lease);
            if (claim is null)
            {
                if (NothingLeft(queue, study, options.UntilEmpty)) break;
                cancellation.WaitHandle.WaitOne(idle);
                idle = TimeSpan.FromTicks(Math.Min(3 * idle.Ticks / 2, options.Poll.Ticks));
                continue;
            }
            idle = FirstLook;
            switch (Evaluate(queue, claim, error, options, log, cancellation))
            {
                case Outcome.Completed: completed++; break;
                case Outcome.Failed: failed++; break;
                case Outcome.LeaseLost: lost++; break;
            }
        }
        return new WorkerSummary(completed, failed, lost);
    }

    private static readonly TimeSpan FirstLook = TimeSpan.FromMilliseconds(20);

    private enum Outcome { Completed, Failed, LeaseLost, Released }

    /// <summary>Nothing to do now, and nothing will come: the study is empty (with --until-empty) or its search is over.</summary>
    private static bool NothingLeft(TrialQueue queue, Study study, bool untilEmpty)
    {
        var pending = queue.Trials(study.Id).Count(t => t.State is TrialState.Waiting or TrialState.Running);
        if (untilEmpty) return pending == 0;
        return queue.FindStudy(study.Name)?.Finished != false && queue.Trials(study.Id).All(t => t.State != TrialState.Waiting);
    }

    private static Outcome Evaluate(TrialQueue queue, TrialClaim claim, ErrorProvider error, WorkerOptions options,
        Action<string> log, CancellationToken cancellation)
    {
        string what = $"{claim.Spec.Architecture.ToShortString()}{(claim.Spec.Repeat > 0 ? $" (repeat {claim.Spec.Repeat})" : "")}";
        IObjective objective;
        try
        {
            objective = claim.Spec.Repeat == 0 ? error.Objective
                : error.Repeat?.Invoke(claim.Spec.Repeat) ?? throw new UserInputException("this error has no repeats");
            if (objective.Identity != claim.Spec.Identity)
                throw new UserInputException($"this worker measures {objective.Identity}, the trial {claim.Spec.Identity}: run workers with the search's version, data and device");
        }
        catch (UserInputException e)
        {
            queue.Fail(claim, e.Message);
            log($"{what}: failed: {e.Message}");
            return Outcome.Failed;
        }

        using var leaseLost = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        bool lost = false;
        // A heartbeat at a third of the lease: two can be missed (a slow database, a pause) before the lease expires.
        using var heartbeat = new Timer(_ =>
        {
            try
            {
                if (!queue.Heartbeat(claim, options.Lease))
                {
                    lost = true;
                    leaseLost.Cancel();
                }
            }
            catch (Exception) { /* the next beat tries again; the lease tells the others whether this worker lives */ }
        }, null, options.Lease / 3, options.Lease / 3);

        if (options.CheckpointPath is not null) queue.Heartbeat(claim, options.Lease, options.CheckpointPath);
        log($"{what}: attempt {claim.Attempt}, claimed");
        long start = Stopwatch.GetTimestamp();
        double measured;
        try
        {
            measured = objective.Evaluate(claim.Spec.Architecture, leaseLost.Token);
        }
        catch (OperationCanceledException) when (leaseLost.IsCancellationRequested)
        {
            heartbeat.Dispose();
            if (lost)
            {
                log($"{what}: lease lost, evaluation stopped");
                return Outcome.LeaseLost;
            }
            queue.Release(claim);
            log($"{what}: handed back");
            return Outcome.Released;
        }
        catch (Exception failure) when (failure is not OutOfMemoryException)
        {
            heartbeat.Dispose();
            queue.Fail(claim, $"{failure.GetType().Name}: {failure.Message}");
            log($"{what}: failed: {failure.Message}");
            return Outcome.Failed;
        }
        heartbeat.Dispose();
        double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        if (!queue.Complete(claim, measured, seconds))
        {
            log($"{what}: lease lost; the result is discarded");
            return Outcome.LeaseLost;
        }
        log($"{what}: error {measured:G6} in {seconds:F1} s");
        return Outcome.Completed;
    }
}
