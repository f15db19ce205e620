using Ose.Runs;
using Ose.Search;
using Ose.Store;
using Ose.Tests.Search;
using static Ose.Tests.Search.SearchFixtures;

namespace Ose.Tests.Store;

/// <summary>
/// The search loop with its evaluations done by worker threads through a SQLite queue (DESIGN §4), in process: the
/// figures are a function of the round size, never of how many workers there are, and rounds of several proposals
/// keep every figure finite and the certificate true.
/// </summary>
public sealed class QueuedSearchTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("ose-queued-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    /// <summary>Error U-shaped in D, so that bounds are withdrawn and re-opened while rounds are in flight.</summary>
    private static double UShapedInDepth(Architecture ξ) => MonotoneError(ξ) * (1 + 0.4 * Math.Pow(Math.Log(ξ.D / 6.0), 2));

    private SearchResult SearchWithWorkers(string name, int workers, int inFlight)
    {
        using var queue = SqliteTrialQueue.Open(Path.Combine(directory, $"{name}.sqlite"));
        var study = queue.OpenStudy(name, "{}");
        var error = new CountingError(UShapedInDepth);
        var threads = Enumerable.Range(0, workers).Select(w => new Thread(() =>
        {
            using var own = SqliteTrialQueue.Open(Path.Combine(directory, $"{name}.sqlite"));
            TrialWorker.Run(own, name, new ErrorProvider(error, CostGrowsWithSize: false),
                new WorkerOptions($"t{w}", TimeSpan.FromMinutes(1), TimeSpan.FromMilliseconds(50), UntilEmpty: false), _ => { },
                CancellationToken.None);
        })).ToList();
        threads.ForEach(t => t.Start());
        try
        {
            return SearchLoop.Run(Problem(error, store: new StudyTrialStore(queue, study.Id)), new Fptas(),
                workers: new Workers(queue, study.Id, inFlight));
        }
        finally
        {
            queue.SetFinished(study.Id, true);
            threads.ForEach(t => t.Join());
        }
    }

    [Fact]
    public void Rounds_of_four_give_the_same_figures_with_one_or_three_workers_and_all_are_finite()
    {
        var one = SearchWithWorkers("one", workers: 1, inFlight: 4);
        var three = SearchWithWorkers("three", workers: 3, inFlight: 4);

        Assert.Equal(one.History, three.History);
        Assert.Equal(one.BoundChanges, three.BoundChanges);
        Assert.Equal(one.Certificate.Describe(), three.Certificate.Describe());
        Assert.All(three.BoundChanges, c => Assert.True(double.IsFinite(c.LargerError) && double.IsFinite(c.SmallerError), c.ToString()));
        Assert.True(three.Certificate.Gap is null or >= 1 && double.IsFinite(three.Certificate.Gap ?? 1), three.Certificate.Describe());

        var serial = SearchLoop.Run(Problem(new CountingError(UShapedInDepth)), new Fptas());
        double bestW(SearchResult r) => r.Candidates[r.BestIndex].W!.Value;
        Assert.True(bestW(three) * (1 + 0.1) >= bestW(serial), $"{bestW(three)} against {bestW(serial)}");
    }
}
