using Ose.Search;
using static Ose.Tests.Search.SearchFixtures;

namespace Ose.Tests.Search;

public sealed class SearcherTests
{
    [Fact]
    public void Exhaustive_search_evaluates_every_candidate_and_returns_the_argmax_of_W()
    {
        var error = new CountingError(MonotoneError);
        var problem = Problem(error);
        var result = new ExhaustiveSearch().Search(problem, new SearchLimits(), null, default);

        Assert.Equal(300, error.Calls);
        Assert.Equal(TrueMaxW(problem, MonotoneError), result.Best.W);
        Assert.Equal(1, result.CertifiedGap);
    }

    [Fact]
    public void The_fptas_finds_the_exhaustive_answer_within_one_plus_epsilon_with_far_fewer_evaluations()
    {
        var fptasError = new CountingError(MonotoneError);
        var fptas = new Fptas().Search(Problem(fptasError), new SearchLimits(), null, default);
        var problem = Problem(new CountingError(MonotoneError));
        double optimum = TrueMaxW(problem, MonotoneError);

        Assert.Equal(StopReason.Completed, fptas.StopReason);
        Assert.True(fptas.Best.W * 1.1 >= optimum);
        Assert.True(fptas.CertifiedGap <= 1.1);
        Assert.NotNull(fptas.EvaluationsToCertify);
        Assert.True(fptas.EvaluationsToCertify < 100, $"{fptas.EvaluationsToCertify} evaluations to certify");
        Assert.Equal(fptasError.Calls, fptas.Evaluations);
        Assert.Equal(300, fptas.CoveredCount);
    }

    [Fact]
    public void A_smaller_epsilon_never_certifies_a_worse_answer()
    {
        var coarse = new Fptas().Search(Problem(new CountingError(MonotoneError), epsilon: 0.5), new SearchLimits(), null, default);
        var fine = new Fptas().Search(Problem(new CountingError(MonotoneError), epsilon: 0.01), new SearchLimits(), null, default);

        Assert.True(fine.CertifiedGap <= 1.01);
        Assert.True(fine.Best.W >= coarse.Best.W / 1.5);
        Assert.True(fine.Evaluations >= coarse.Evaluations);
    }

    [Theory]
    [InlineData("random")]
    [InlineData("nsga2")]
    public void Baselines_respect_the_evaluation_cap_and_repeat_for_a_seed(string name)
    {
        ISearcher Make() => name == "random" ? new RandomSearch() : new Nsga2();
        var first = Make().Search(Problem(new CountingError(MonotoneError)), new SearchLimits(MaxEvaluations: 25, Seed: 3), null, default);
        var again = Make().Search(Problem(new CountingError(MonotoneError)), new SearchLimits(MaxEvaluations: 25, Seed: 3), null, default);

        Assert.True(first.Evaluations <= 25);
        Assert.Equal(first.Best.Architecture, again.Best.Architecture);
        Assert.Equal(first.Candidates.Select(c => c.Error), again.Candidates.Select(c => c.Error));
    }

    [Fact]
    public void Nsga2_without_a_cap_evaluates_at_most_a_tenth_of_the_space()
    {
        var result = new Nsga2().Search(Problem(new CountingError(MonotoneError)), new SearchLimits(Seed: 1), null, default);
        Assert.InRange(result.Evaluations, 16, 30);
    }

    [Fact]
    public void A_spent_budget_stops_the_search_and_reports_the_gap_reached()
    {
        var store = new Ose.Store.InMemoryTrialStore();
        new Fptas().Search(Problem(new CountingError(MonotoneError), store: store), new SearchLimits(MaxEvaluations: 3), null, default);

        var result = new Fptas().Search(Problem(new CountingError(MonotoneError), store: store),
            new SearchLimits(Budget: TimeSpan.Zero), null, default);

        Assert.Equal(StopReason.BudgetSpent, result.StopReason);
        Assert.Equal(3, result.Evaluations);
        Assert.True(result.CertifiedGap > 1);
    }

    [Fact]
    public void A_budget_that_runs_out_during_an_evaluation_stops_it_instead_of_waiting_for_it()
    {
        int calls = 0;
        var error = new CancellableError((ξ, cancellation) =>
        {
            // The second evaluation would take a minute; the budget must cut it short.
            if (++calls == 2 && cancellation.WaitHandle.WaitOne(TimeSpan.FromMinutes(1))) cancellation.ThrowIfCancellationRequested();
            return MonotoneError(ξ);
        });
        var watch = System.Diagnostics.Stopwatch.StartNew();

        var result = new Fptas().Search(Problem(error), new SearchLimits(Budget: TimeSpan.FromSeconds(1)), null, default);

        Assert.Equal(StopReason.BudgetSpent, result.StopReason);
        Assert.Equal(1, result.Evaluations);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), $"took {watch.Elapsed}");
    }

    [Fact]
    public void A_budget_that_allows_no_evaluation_at_all_is_a_user_error() =>
        Assert.Throws<UserInputException>(() =>
            new Fptas().Search(Problem(new CountingError(MonotoneError)), new SearchLimits(Budget: TimeSpan.Zero), null, default));

    [Fact]
    public void An_interrupted_search_stops_with_what_it_has()
    {
        using var interrupt = new CancellationTokenSource();
        var error = new CountingError(ξ =>
        {
            interrupt.Cancel();
            return MonotoneError(ξ);
        });
        var result = new Fptas().Search(Problem(error), new SearchLimits(), null, interrupt.Token);

        Assert.Equal(StopReason.Interrupted, result.StopReason);
        Assert.Equal(1, result.Evaluations);
    }

    [Fact]
    public void Errors_that_rise_with_capacity_are_reported_as_violations()
    {
        var result = new ExhaustiveSearch().Search(Problem(new CountingError(ξ => 1.0 + ξ.D * 0.01)), new SearchLimits(), null, default);
        Assert.NotEmpty(result.MonotonicityViolations);
        Assert.All(result.MonotonicityViolations, v => Assert.True(v.LargerError > v.SmallerError && v.Larger.Dominates(v.Smaller)));
    }

    [Fact]
    public void The_source_itself_in_the_space_gets_W_zero()
    {
        var candidates = new List<Architecture>(Bort) { BertLarge.Architecture };
        var result = new ExhaustiveSearch().Search(Problem(new CountingError(MonotoneError), candidates), new SearchLimits(), null, default);
        Assert.Equal(0, result.Candidates.Single(c => c.Architecture == BertLarge.Architecture).W);
    }
}
