using Ose.Storage.Postgres;
using Ose.Store;

namespace Ose.Distributed.Tests;

/// <summary>
/// Searches run by `ose worker` processes, as processes: the result does not depend on how many workers there are, and a
/// worker killed mid-trial costs its trial one attempt, not the search. The error is the scaling-law proxy at a simulated
/// cost (--simulate-cost), so that it is stored and searched like training and each evaluation takes a known time.
/// </summary>
public sealed class WorkerProcessTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("ose-workers-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    /// <summary>16 candidates of bert-mini's shape: small enough for seconds, large enough for the FPTAS to prune.</summary>
    private string Space(string json = """{"D": [1, 2, 3, 4], "A": [2, 4], "H": [64, 128], "I": [256]}""")
    {
        string path = Path.Combine(directory, $"space-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json);
        return path;
    }

    private static string[] Search(string space, string output, string cost, params string[] more) =>
        ["search", "--source", "bert-mini", "--space", space, "--errors", "proxy:scaling-law", "--simulate-cost", cost,
            "--budget", "none", "--out", output, .. more];

    private string Out(string name) => Path.Combine(directory, name);

    private static string Certificate(OseProcess.Outcome run) =>
        run.StandardOutput.Split('\n').Single(line => line.StartsWith("certificate:", StringComparison.Ordinal));

    private static string Chosen(OseProcess.Outcome run) =>
        run.StandardOutput.Split('\n').Single(line => line.Contains("│ chosen", StringComparison.Ordinal));

    private static void AssertSameFiles(string expected, string actual, params string[] files)
    {
        foreach (string file in files)
            Assert.Equal(File.ReadAllText(Path.Combine(expected, file)), File.ReadAllText(Path.Combine(actual, file)));
    }

    [Fact]
    public void Four_workers_find_what_one_process_finds()
    {
        string space = Space();
        var single = OseProcess.Run(Search(space, Out("single"), "0.2s", "--searcher", "exhaustive"));
        var four = OseProcess.Run(Search(space, Out("four"), "0.2s", "--searcher", "exhaustive", "--workers", "4"));
        Assert.True(single.ExitCode == 0, single.StandardError);
        Assert.True(four.ExitCode == 0, four.StandardError);
        AssertSameFiles(Out("single"), Out("four"), "candidates.csv", "front.csv");
        Assert.Equal(Certificate(single), Certificate(four));
        Assert.Contains("16 complete", OseProcess.Run("status", "--storage", $"sqlite:{Out("four")}/trials.sqlite").StandardOutput);
        // Four workers share the work: each completed some, and none completed a trial another had.
        var logs = Directory.GetFiles(Path.Combine(Out("four"), "workers"), "*.log").Select(File.ReadAllText).ToList();
        Assert.Equal(4, logs.Count);
        Assert.Equal(16, logs.Sum(log => log.Split('\n').Count(line => line.Contains(": error ", StringComparison.Ordinal))));
    }

    /// <summary>
    /// Training, the error workers exist for: a search on the tiny world with 2 workers measures, candidate by candidate
    /// and repeat by repeat, the errors one process measures (each training is seeded and single-threaded), and chooses
    /// the same architecture.
    /// </summary>
    [Fact]
    public void Two_workers_training_candidates_measure_the_errors_one_process_measures()
    {
        using var world = new Ose.Reliability.Tests.TinyWorld();
        string[] Trained(string output, params string[] more) =>
            ["search", "--source", world.Source, "--space", world.Space, "--epsilon", "0.5", "--data", world.Data,
                "--budget", "none", "--out", output, .. more];
        var single = OseProcess.Run(Trained(Out("single")));
        var two = OseProcess.Run(Trained(Out("two"), "--workers", "2"));
        Assert.True(single.ExitCode == 0, single.StandardError);
        Assert.True(two.ExitCode == 0, two.StandardError);
        static IEnumerable<string> Errors(string run) =>
            File.ReadAllLines(Path.Combine(run, "candidates.csv")).Select(line => string.Join(',', line.Split(',').Take(9)));
        Assert.Equal(Errors(Out("single")), Errors(Out("two")));
        Assert.Equal(Chosen(single), Chosen(two));
        Assert.Contains("2 repeats", two.StandardOutput);
    }

    [Fact]
    public void The_fptas_result_depends_on_the_round_size_not_on_the_number_of_workers()
    {
        string space = Space();
        var one = OseProcess.Run(Search(space, Out("one"), "0.1s", "--workers", "1", "--in-flight", "4"));
        var four = OseProcess.Run(Search(space, Out("four"), "0.1s", "--workers", "4"));
        var inProcess = OseProcess.Run(Search(space, Out("in-process"), "0.1s"));
        Assert.True(one.ExitCode == 0, one.StandardError);
        Assert.True(four.ExitCode == 0, four.StandardError);
        AssertSameFiles(Out("one"), Out("four"), "candidates.csv", "front.csv");
        Assert.Equal(Certificate(one), Certificate(four));
        Assert.Equal(Chosen(inProcess), Chosen(four));
    }

    [Fact]
    public void A_worker_killed_mid_trial_loses_its_lease_and_another_finishes_the_trial_on_sqlite()
    {
        string storage = $"sqlite:{Out("run")}/trials.sqlite";
        KilledWorkerScenario(storage, "default", () => File.Exists(Path.Combine(Out("run"), "trials.sqlite"))
            ? SqliteTrialQueue.Open(Path.Combine(Out("run"), "trials.sqlite")) : null);
    }

    [PostgresFact]
    public void A_worker_killed_mid_trial_loses_its_lease_and_another_finishes_the_trial_on_postgresql()
    {
        string url = PostgresFactAttribute.RequiredUrl;
        KilledWorkerScenario(url, $"kill-{Guid.NewGuid():N}", () => PostgresTrialQueue.Open(url));
    }

    /// <summary>
    /// Two trials of 3 s, a search that only enqueues (--workers 0), worker A with a 2 s lease killed with SIGKILL as
    /// soon as it holds a trial; worker B then takes the other trial and, once A's lease has expired, A's trial as a
    /// second attempt. The search completes with both, and A's trial completed once.
    /// </summary>
    private void KilledWorkerScenario(string storage, string study, Func<TrialQueue?> open)
    {
        string space = Space("""{"D": [1, 2], "A": [2], "H": [64], "I": [256]}""");
        using var search = OseProcess.Start(Search(space, Out("run"), "3s", "--searcher", "exhaustive", "--workers", "0",
            "--in-flight", "2", "--storage", storage, "--study", study));
        using var queue = WaitFor(open, "the search to create the store");
        long id = WaitFor(() => queue.FindStudy(study) is { } s && queue.Trials(s.Id).Count == 2 ? s.Id : (long?)null, "the search to enqueue")!.Value;

        using var a = OseProcess.Start("worker", "--storage", storage, "--study", study, "--name", "A", "--lease", "2s");
        var held = WaitFor(() => queue.Trials(id).SingleOrDefault(t => t.State == TrialState.Running && t.Owner == "A"), "worker A to claim");
        a.KillHard();

        using var b = OseProcess.Start("worker", "--storage", storage, "--study", study, "--name", "B", "--lease", "2s");
        var searched = search.Finish(TimeSpan.FromMinutes(2));
        var worked = b.Finish(TimeSpan.FromMinutes(1));
        Assert.True(searched.ExitCode == 0, searched.StandardError);
        Assert.True(worked.ExitCode == 0, worked.StandardError);
        Assert.Contains("B: 2 completed, 0 failed, 0 leases lost", worked.StandardOutput);
        var trials = queue.Trials(id);
        Assert.All(trials, t => Assert.Equal(TrialState.Complete, t.State));
        Assert.Equal(2, trials.Single(t => t.Id == held.Id).Attempt);
        Assert.Equal(1, trials.Single(t => t.Id != held.Id).Attempt);
        Assert.Contains("evaluated", File.ReadAllText(Path.Combine(Out("run"), "candidates.csv")));
    }

    /// <summary>
    /// The database restarts (a fast shutdown: every connection dropped) while workers evaluate: the search and its
    /// workers reconnect and finish, and every trial completed before the restart is still there, completed once.
    /// </summary>
    [PostgresRestartFact]
    public void A_database_restart_mid_search_loses_no_completed_trial()
    {
        string url = PostgresFactAttribute.RequiredUrl, study = $"restart-{Guid.NewGuid():N}";
        string space = Space("""{"D": [1, 2, 3, 4, 5, 6], "A": [2], "H": [64, 128], "I": [256]}""");
        using var search = OseProcess.Start(Search(space, Out("run"), "0.5s", "--searcher", "exhaustive", "--workers", "2",
            "--storage", url, "--study", study));
        using var queue = PostgresTrialQueue.Open(url);
        long id = WaitFor(() => queue.FindStudy(study)?.Id, "the search to open its study")!.Value;
        var before = WaitFor(() => queue.Trials(id).Where(t => t.State == TrialState.Complete).ToList() is { Count: >= 3 } done ? done : null,
            "three trials to complete");

        PostgresRestartFactAttribute.Restart();

        var searched = search.Finish(TimeSpan.FromMinutes(3));
        Assert.True(searched.ExitCode == 0, searched.StandardError);
        var after = queue.Trials(id).ToDictionary(t => t.Id);
        Assert.Equal(12, after.Count);
        Assert.All(after.Values, t => Assert.Equal(TrialState.Complete, t.State));
        foreach (var trial in before)
            Assert.Equal((trial.Error, trial.Attempt), (after[trial.Id].Error, after[trial.Id].Attempt));
        Assert.Equal(12, File.ReadAllLines(Path.Combine(Out("run"), "candidates.csv")).Count(line => line.Contains(",evaluated,")));
    }

    private static T WaitFor<T>(Func<T?> probe, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (probe() is { } value) return value;
            Thread.Sleep(100);
        }
        throw new TimeoutException($"waited a minute for {what}");
    }

    [Fact]
    public void Bad_storage_and_worker_options_are_one_line_and_exit_2()
    {
        string space = Space();
        foreach (var arguments in new[]
        {
            Search(space, Out("a"), "1s", "--workers", "-1"),
            Search(space, Out("b"), "1s", "--storage", "postgresql://nobody@127.0.0.1:1/none"),
            Search(space, Out("c"), "1s", "--storage", "mysql://db/x"),
            ["worker", "--study", "x"],
            ["worker", "--storage", $"sqlite:{Out("missing")}/trials.sqlite"],
            ["status", "--storage", "postgresql://nobody:secret@127.0.0.1:1/none"],
            ["search", "--errors", "train", "--simulate-cost", "1s", "--out", Out("d")],
        })
        {
            var run = OseProcess.Run(arguments);
            Assert.True(run.ExitCode == 2, $"{string.Join(' ', arguments)}: exit {run.ExitCode}: {run.StandardError}");
            Assert.Single(run.StandardError.Trim().Split('\n'));
            Assert.StartsWith("ose: ", run.StandardError);
            Assert.DoesNotContain("secret", run.StandardError);
        }
    }
}
