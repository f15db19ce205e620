using Ose.Search;
using Ose.Store;
using Ose.Tests.Search;
using static Ose.Tests.Search.SearchFixtures;

namespace Ose.Tests.Store;

public sealed class TrialStoreTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("ose-store-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private string StorePath => Path.Combine(directory, SqliteTrialStore.FileName);

    [Fact]
    public void Trials_written_to_sqlite_read_back_identically_and_only_under_their_identity()
    {
        var trial = new Trial("table:abc", new Architecture(2, 4, 512, 256), 0.123456789012345, 1.5,
            new DateTimeOffset(2026, 11, 22, 10, 0, 0, TimeSpan.Zero));
        using (var store = new SqliteTrialStore(StorePath)) store.Record(trial);

        using var reopened = new SqliteTrialStore(StorePath);
        Assert.Equal([trial], reopened.Load("table:abc"));
        Assert.Empty(reopened.Load("table:other"));
    }

    [Fact]
    public void A_search_killed_midway_resumes_from_the_store_and_evaluates_nothing_twice()
    {
        var uninterrupted = new Fptas().Search(Problem(new CountingError(MonotoneError)), new SearchLimits(), null, default);

        var crashing = new CountingError(MonotoneError, failAfter: 7);
        using (var store = new SqliteTrialStore(StorePath))
            Assert.Throws<SimulatedCrash>(() => new Fptas().Search(Problem(crashing, store: store), new SearchLimits(), null, default));

        var resumed = new CountingError(MonotoneError);
        SearchResult result;
        ErrorEvaluator evaluator;
        using (var store = new SqliteTrialStore(StorePath))
        {
            var problem = Problem(resumed, store: store);
            evaluator = problem.Errors;
            result = new Fptas().Search(problem, new SearchLimits(), null, default);
        }

        Assert.Equal(7, crashing.Calls);
        Assert.Equal(7, evaluator.Reused);
        Assert.Equal(uninterrupted.Evaluations - 7, resumed.Calls);
        Assert.Equal(uninterrupted.Best.Architecture, result.Best.Architecture);
        Assert.Equal(uninterrupted.Evaluations, result.Evaluations);
    }

    [Fact]
    public void A_completed_search_run_again_evaluates_nothing()
    {
        using (var store = new SqliteTrialStore(StorePath))
            new ExhaustiveSearch().Search(Problem(new CountingError(MonotoneError), store: store), new SearchLimits(), null, default);

        var again = new CountingError(MonotoneError);
        using (var store = new SqliteTrialStore(StorePath))
            new ExhaustiveSearch().Search(Problem(again, store: store), new SearchLimits(), null, default);
        Assert.Equal(0, again.Calls);
    }
}
