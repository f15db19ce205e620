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

    /// <summary>Error U-shaped in D, so the search withdraws bounds and reports violations: every figure is exercised.</summary>
    private static double UShapedInDepth(Architecture ξ) => MonotoneError(ξ) * (1 + 0.4 * Math.Pow(Math.Log(ξ.D / 6.0), 2));

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

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(40)]
    public void A_search_killed_midway_resumes_to_the_figures_of_an_uninterrupted_one_and_evaluates_nothing_twice(int killedAfter)
    {
        var uninterrupted = SearchLoop.Run(Problem(new CountingError(UShapedInDepth)), new Fptas());

        var crashing = new CountingError(UShapedInDepth, failAfter: killedAfter);
        using (var store = new SqliteTrialStore(StorePath))
            Assert.Throws<SimulatedCrash>(() => SearchLoop.Run(Problem(crashing, store: store), new Fptas()));

        var resumed = new CountingError(UShapedInDepth);
        SearchResult result;
        ErrorEvaluator evaluator;
        using (var store = new SqliteTrialStore(StorePath))
        {
            var problem = Problem(resumed, store: store);
            evaluator = problem.Errors;
            result = SearchLoop.Run(problem, new Fptas());
        }

        Assert.Equal(killedAfter, evaluator.Reused);
        Assert.Equal(uninterrupted.Evaluations - killedAfter, resumed.Calls);
        AssertSameFigures(uninterrupted, result);
    }

    [Fact]
    public void A_finished_search_run_again_evaluates_nothing_and_reports_the_same_figures()
    {
        SearchResult first;
        using (var store = new SqliteTrialStore(StorePath))
            first = SearchLoop.Run(Problem(new CountingError(UShapedInDepth), store: store), new Fptas());

        var again = new CountingError(UShapedInDepth);
        SearchResult second;
        using (var store = new SqliteTrialStore(StorePath))
            second = SearchLoop.Run(Problem(again, store: store), new Fptas());

        Assert.Equal(0, again.Calls);
        AssertSameFigures(first, second);
    }

    private static void AssertSameFigures(SearchResult expected, SearchResult actual)
    {
        Assert.NotEmpty(expected.MonotonicityViolations);
        Assert.NotEmpty(expected.BoundChanges);
        Assert.Equal(expected.Best.Architecture, actual.Best.Architecture);
        Assert.Equal(expected.Evaluations, actual.Evaluations);
        Assert.Equal(expected.EvaluationsToCertify, actual.EvaluationsToCertify);
        Assert.Equal(expected.Certificate.Describe(), actual.Certificate.Describe());
        Assert.Equal(expected.MonotonicityViolations, actual.MonotonicityViolations);
        Assert.Equal(expected.BoundChanges, actual.BoundChanges);
        Assert.Equal(expected.History, actual.History);
    }
}
