using Ose.Storage.Postgres;
using Ose.Store;

namespace Ose.Distributed.Tests;

/// <summary>The same state machine on a real PostgreSQL server (STYLE: our store against a real PostgreSQL server).</summary>
public sealed class PostgresTrialQueueTests : TrialQueueContract
{
    protected override TrialQueue OpenStore() => PostgresTrialQueue.Open(PostgresFactAttribute.RequiredUrl);

    [PostgresFact] public void Claims_each_waiting_trial_once_in_the_order_enqueued() => Each_waiting_trial_is_claimed_once_in_the_order_enqueued();
    [PostgresFact] public void Completes_once() => A_completed_trial_keeps_its_error_and_is_not_claimed_again();
    [PostgresFact] public void Expired_lease_is_reclaimed_and_fences_its_first_holder() => An_expired_lease_is_claimed_again_and_its_first_holder_can_neither_heartbeat_nor_complete();
    [PostgresFact] public void Heartbeat_extends_the_lease() => A_heartbeat_extends_the_lease_by_the_database_clock();
    [PostgresFact] public void Fails_after_its_attempts_keeping_the_error() => A_trial_that_fails_on_every_attempt_is_FAILED_with_its_last_error();
    [PostgresFact] public void Lease_expired_on_the_last_attempt_fails_the_trial() => A_lease_that_expires_on_the_last_attempt_makes_the_trial_FAILED();
    [PostgresFact] public void Release_costs_no_attempt() => A_released_trial_is_waiting_again_without_using_an_attempt();
    [PostgresFact] public void Enqueue_again_leaves_trials_in_flight() => Enqueueing_again_leaves_claimed_and_completed_trials_as_they_are();
    [PostgresFact] public void Racing_workers_share_no_trial() => Workers_racing_on_separate_connections_never_share_a_trial_and_none_completes_twice();
    [PostgresFact] public void Study_keeps_request_and_flag() => A_study_keeps_its_request_and_finished_flag();

    [Fact]
    public void A_url_becomes_a_connection_string_and_a_bad_one_is_refused_without_its_password()
    {
        var builder = PostgresTrialQueue.ConnectionString("postgresql://ose:s3cret@db.example:6543/trials");
        Assert.Equal(("db.example", 6543, "ose", "s3cret", "trials"), (builder.Host, builder.Port, builder.Username, builder.Password, builder.Database));
        Assert.Equal("/tmp/pg", PostgresTrialQueue.ConnectionString("postgres://ose@/trials?host=/tmp/pg").Host);
        var refused = Assert.Throws<UserInputException>(() => PostgresTrialQueue.ConnectionString("postgresql://ose:s3cret@db/x?sslmode=on"));
        Assert.DoesNotContain("s3cret", refused.Message);
        Assert.Contains("sslmode", refused.Message);
    }

    [Fact]
    public void An_unreachable_server_is_one_user_error()
    {
        var refused = Assert.Throws<UserInputException>(() => PostgresTrialQueue.Open("postgresql://nobody@127.0.0.1:1/none"));
        Assert.StartsWith("cannot reach the trial store postgresql://nobody@127.0.0.1:1/none", refused.Message);
    }
}
