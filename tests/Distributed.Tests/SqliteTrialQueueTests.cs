using Ose.Store;

namespace Ose.Distributed.Tests;

/// <summary>The trial state machine on SQLite: one file, as the local workers of one machine share it.</summary>
public sealed class SqliteTrialQueueTests : TrialQueueContract
{
    private readonly string directory = Directory.CreateTempSubdirectory("ose-queue-").FullName;

    protected override TrialQueue OpenStore() => SqliteTrialQueue.Open(Path.Combine(directory, "trials.sqlite"));

    public override void Dispose()
    {
        base.Dispose();
        Directory.Delete(directory, recursive: true);
    }

    [Fact] public void Claims_each_waiting_trial_once_in_the_order_enqueued() => Each_waiting_trial_is_claimed_once_in_the_order_enqueued();
    [Fact] public void Completes_once() => A_completed_trial_keeps_its_error_and_is_not_claimed_again();
    [Fact] public void Expired_lease_is_reclaimed_and_fences_its_first_holder() => An_expired_lease_is_claimed_again_and_its_first_holder_can_neither_heartbeat_nor_complete();
    [Fact] public void Heartbeat_extends_the_lease() => A_heartbeat_extends_the_lease_by_the_database_clock();
    [Fact] public void Fails_after_its_attempts_keeping_the_error() => A_trial_that_fails_on_every_attempt_is_FAILED_with_its_last_error();
    [Fact] public void Lease_expired_on_the_last_attempt_fails_the_trial() => A_lease_that_expires_on_the_last_attempt_makes_the_trial_FAILED();
    [Fact] public void Release_costs_no_attempt() => A_released_trial_is_waiting_again_without_using_an_attempt();
    [Fact] public void Enqueue_again_leaves_trials_in_flight() => Enqueueing_again_leaves_claimed_and_completed_trials_as_they_are();
    [Fact] public void Racing_workers_share_no_trial() => Workers_racing_on_separate_connections_never_share_a_trial_and_none_completes_twice();
    [Fact] public void Study_keeps_request_and_flag() => A_study_keeps_its_request_and_finished_flag();

    [Fact]
    public void A_store_of_another_schema_version_is_refused()
    {
        string path = Path.Combine(directory, "trials.sqlite");
        SqliteTrialQueue.Open(path).Dispose();
        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE ose_schema SET version = 99";
            command.ExecuteNonQuery();
        }
        var refused = Assert.Throws<UserInputException>(() => SqliteTrialQueue.Open(path));
        Assert.Contains("schema version 99", refused.Message);
    }
}
