using Ose.Store;

namespace Ose.Distributed.Tests;

/// <summary>
/// The state machine of a trial (DESIGN §4), checked the same way on each database: claims, leases that expire by the
/// database's clock, fencing by the claim's token, attempts and FAILED. Each test works in a study of its own, so tests
/// may share one server.
/// </summary>
public abstract class TrialQueueContract : IDisposable
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan Short = TimeSpan.FromMilliseconds(300);
    private static readonly TimeSpan PastShort = TimeSpan.FromMilliseconds(700);

    private readonly List<TrialQueue> opened = [];
    private readonly string study = $"test-{Guid.NewGuid():N}";

    /// <summary>A new connection to the same store: one per process or thread in the tests that race.</summary>
    protected abstract TrialQueue OpenStore();

    public virtual void Dispose()
    {
        foreach (var queue in opened) queue.Dispose();
    }

    private TrialQueue Open()
    {
        var queue = OpenStore();
        lock (opened) opened.Add(queue);
        return queue;
    }

    private static TrialSpec Spec(int d) => new("table:test", new Architecture(d, 2, 64, 256));

    private (TrialQueue Queue, long Study) WithTrials(int count, int maxAttempts = TrialQueue.DefaultMaxAttempts)
    {
        var queue = Open();
        long id = queue.OpenStudy(study, "{}").Id;
        queue.Enqueue(id, Enumerable.Range(1, count).Select(Spec), maxAttempts);
        return (queue, id);
    }

    protected void Each_waiting_trial_is_claimed_once_in_the_order_enqueued()
    {
        var (queue, id) = WithTrials(3);
        var claims = Enumerable.Range(0, 4).Select(_ => queue.Claim(id, "w", Long)).ToList();
        Assert.Equal([1, 2, 3], claims.Take(3).Select(c => c!.Spec.Architecture.D));
        Assert.Null(claims[3]);
        Assert.Equal(3, claims.Take(3).Select(c => c!.Token).Distinct().Count());
        Assert.All(queue.Trials(id), t => Assert.Equal((TrialState.Running, 1, "w"), (t.State, t.Attempt, t.Owner)));
    }

    protected void A_completed_trial_keeps_its_error_and_is_not_claimed_again()
    {
        var (queue, id) = WithTrials(1);
        var claim = queue.Claim(id, "w", Long)!;
        Assert.True(queue.Complete(claim, 0.25, 1.5));
        Assert.Null(queue.Claim(id, "w", Long));
        var trial = Assert.Single(queue.Trials(id));
        Assert.Equal((TrialState.Complete, 0.25, 1.5), (trial.State, trial.Error, trial.Seconds));
        Assert.False(queue.Complete(claim, 0.5, 1), "a trial completes once");
        Assert.Equal(0.25, Assert.Single(queue.Trials(id)).Error);
    }

    protected void An_expired_lease_is_claimed_again_and_its_first_holder_can_neither_heartbeat_nor_complete()
    {
        var (queue, id) = WithTrials(1);
        var first = queue.Claim(id, "slow", Short)!;
        Assert.Null(queue.Claim(id, "other", Long));
        Thread.Sleep(PastShort);
        var second = queue.Claim(id, "other", Long)!;
        Assert.Equal((first.Id, 2), (second.Id, second.Attempt));
        Assert.NotEqual(first.Token, second.Token);

        Assert.False(queue.Heartbeat(first, Long), "the lease was taken");
        Assert.False(queue.Complete(first, 0.9, 1), "a result under a lost lease is discarded");
        Assert.False(queue.Fail(first, "late"));
        Assert.True(queue.Complete(second, 0.3, 1));
        var trial = Assert.Single(queue.Trials(id));
        Assert.Equal((TrialState.Complete, 0.3, 2), (trial.State, trial.Error, trial.Attempt));
    }

    protected void A_heartbeat_extends_the_lease_by_the_database_clock()
    {
        var (queue, id) = WithTrials(1);
        var claim = queue.Claim(id, "w", Short)!;
        for (int beat = 0; beat < 4; beat++)
        {
            Thread.Sleep(Short / 2);
            Assert.True(queue.Heartbeat(claim, Short, "/runs/x/training"));
        }
        Assert.Null(queue.Claim(id, "other", Long));
        var trial = Assert.Single(queue.Trials(id));
        Assert.True(trial.Held > Short, $"held {trial.Held}");
        Assert.True(trial.ExpiresIn > TimeSpan.Zero && trial.ExpiresIn <= Short, $"expires in {trial.ExpiresIn}");
        Thread.Sleep(PastShort);
        Assert.Equal("/runs/x/training", queue.Claim(id, "other", Long)!.CheckpointPath);
    }

    protected void A_trial_that_fails_on_every_attempt_is_FAILED_with_its_last_error()
    {
        var (queue, id) = WithTrials(1, maxAttempts: 2);
        Assert.True(queue.Fail(queue.Claim(id, "w", Long)!, "out of memory"));
        Assert.Equal(TrialState.Waiting, Assert.Single(queue.Trials(id)).State);
        Assert.True(queue.Fail(queue.Claim(id, "w", Long)!, "out of memory again"));
        Assert.Null(queue.Claim(id, "w", Long));
        var trial = Assert.Single(queue.Trials(id));
        Assert.Equal((TrialState.Failed, 2, "out of memory again"), (trial.State, trial.Attempt, trial.Failure));

        queue.Enqueue(id, [Spec(1)], maxAttempts: 2);
        Assert.Equal((TrialState.Waiting, 0), (Assert.Single(queue.Trials(id)).State, Assert.Single(queue.Trials(id)).Attempt));
    }

    protected void A_lease_that_expires_on_the_last_attempt_makes_the_trial_FAILED()
    {
        var (queue, id) = WithTrials(1, maxAttempts: 1);
        queue.Claim(id, "killed", Short);
        Thread.Sleep(PastShort);
        Assert.Null(queue.Claim(id, "w", Long));
        var trial = Assert.Single(queue.Trials(id));
        Assert.Equal(TrialState.Failed, trial.State);
        Assert.Contains("killed", trial.Failure);
    }

    protected void A_released_trial_is_waiting_again_without_using_an_attempt()
    {
        var (queue, id) = WithTrials(1, maxAttempts: 1);
        var claim = queue.Claim(id, "stopped", Long)!;
        Assert.True(queue.Release(claim));
        Assert.False(queue.Complete(claim, 0.1, 1));
        var again = queue.Claim(id, "w", Long)!;
        Assert.Equal(1, again.Attempt);
        Assert.True(queue.Complete(again, 0.1, 1));
    }

    protected void Enqueueing_again_leaves_claimed_and_completed_trials_as_they_are()
    {
        var (queue, id) = WithTrials(2);
        var claim = queue.Claim(id, "w", Long)!;
        queue.Complete(claim, 0.5, 1);
        var running = queue.Claim(id, "w", Long)!;
        queue.Enqueue(id, [Spec(1), Spec(2), Spec(3)]);
        Assert.Equal([TrialState.Complete, TrialState.Running, TrialState.Waiting], queue.Trials(id).Select(t => t.State));
        Assert.True(queue.Complete(running, 0.4, 1));
    }

    protected void Workers_racing_on_separate_connections_never_share_a_trial_and_none_completes_twice()
    {
        const int trials = 60, workers = 6;
        var (setup, id) = WithTrials(trials);
        var stores = Enumerable.Range(0, workers).Select(_ => Open()).ToArray();
        var completedBy = new System.Collections.Concurrent.ConcurrentBag<(long Trial, int Worker)>();
        Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers }, w =>
        {
            while (stores[w].Claim(id, $"w{w}", Long) is { } claim)
                if (stores[w].Complete(claim, 0.1 * w + 0.01, 0)) completedBy.Add((claim.Id, w));
        });
        Assert.Equal(trials, completedBy.Count);
        Assert.Equal(trials, completedBy.Select(c => c.Trial).Distinct().Count());
        Assert.All(setup.Trials(id), t => Assert.Equal((TrialState.Complete, 1), (t.State, t.Attempt)));
    }

    protected void A_study_keeps_its_request_and_finished_flag()
    {
        var queue = Open();
        var created = queue.OpenStudy(study, "{\"a\":1}");
        Assert.Equal("{\"a\":1}", queue.OpenStudy(study, "{\"b\":2}").Request);
        Assert.False(created.Finished);
        queue.SetFinished(created.Id, true);
        Assert.True(queue.FindStudy(study)!.Finished);
        Assert.Null(queue.FindStudy(study + "-none"));
    }
}
