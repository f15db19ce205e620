using System.Diagnostics;
using Ose.Storage.Postgres;
using Ose.Store;
using Xunit.Abstractions;

namespace Ose.Distributed.Tests;

/// <summary>
/// What the store adds to each trial a worker evaluates: a claim, one heartbeat and the completion, in milliseconds
/// (docs/distributed.md). Printed by
/// <c>dotnet test tests/Distributed.Tests --filter 'FullyQualifiedName~StoreOverhead' --logger 'console;verbosity=detailed'</c>.
/// </summary>
public sealed class StoreOverheadTests(ITestOutputHelper output) : IDisposable
{
    private const int Trials = 200;
    private readonly string directory = Directory.CreateTempSubdirectory("ose-overhead-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void The_sqlite_store_costs_a_trial_a_few_milliseconds()
    {
        using var queue = SqliteTrialQueue.Open(Path.Combine(directory, "trials.sqlite"));
        Measure(queue, "SQLite");
    }

    [PostgresFact]
    public void The_postgresql_store_costs_a_trial_a_few_milliseconds()
    {
        using var queue = PostgresTrialQueue.Open(PostgresFactAttribute.RequiredUrl);
        Measure(queue, "PostgreSQL");
    }

    private void Measure(TrialQueue queue, string name)
    {
        long study = queue.OpenStudy($"overhead-{Guid.NewGuid():N}", "{}").Id;
        queue.Enqueue(study, Enumerable.Range(1, Trials).Select(d => new TrialSpec("table:overhead", new Architecture(d, 2, 64, 256))));
        var lease = TimeSpan.FromMinutes(10);
        var watch = Stopwatch.StartNew();
        while (queue.Claim(study, "w", lease) is { } claim)
        {
            Assert.True(queue.Heartbeat(claim, lease));
            Assert.True(queue.Complete(claim, 0.5, 0));
        }
        double perTrial = watch.Elapsed.TotalMilliseconds / Trials;
        output.WriteLine($"{name}: {perTrial:F2} ms per trial (claim + heartbeat + complete, {Trials} trials, one worker)");
        Assert.True(perTrial < 100, $"{perTrial} ms per trial");
        Assert.All(queue.Trials(study), t => Assert.Equal(TrialState.Complete, t.State));
    }
}
