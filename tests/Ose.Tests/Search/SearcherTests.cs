using Ose.Search;
using static Ose.Tests.Search.SearchFixtures;

namespace Ose.Tests.Search;

public sealed class SearcherTests(Xunit.Abstractions.ITestOutputHelper output)
{
    [Fact]
    public void Exhaustive_search_evaluates_every_candidate_and_certifies_the_argmax_of_W_exactly()
    {
        var error = new CountingError(MonotoneError);
        var problem = Problem(error);
        var result = SearchLoop.Run(problem, new ExhaustiveSearch());

        Assert.Equal(300, error.Calls);
        Assert.Equal(TrueMaxW(problem, MonotoneError), result.Best.W);
        Assert.Equal(CertificateKind.Exact, result.Certificate.Kind);
        Assert.Equal(1, result.Certificate.Gap);
    }

    [Fact]
    public void The_fptas_certifies_the_answer_within_one_plus_epsilon_with_far_fewer_evaluations()
    {
        var fptasError = new CountingError(MonotoneError);
        var problem = Problem(fptasError);
        var fptas = SearchLoop.Run(problem, new Fptas());

        Assert.Equal(StopReason.Completed, fptas.StopReason);
        Assert.Equal(CertificateKind.Bounds, fptas.Certificate.Kind);
        Assert.InRange(fptas.Certificate.Gap!.Value, 1, 1.1);
        Assert.True(fptas.Best.W * fptas.Certificate.Gap >= TrueMaxW(problem, MonotoneError));
        Assert.True(fptas.EvaluationsToCertify < 100, $"{fptas.EvaluationsToCertify} evaluations to certify");
        Assert.True(fptas.Evaluated < 150, $"{fptas.Evaluated} evaluated");
        Assert.Equal(fptasError.Calls, fptas.Evaluations);
        Assert.Equal(300, fptas.CoveredCount);
        output.WriteLine($"certificate: {fptas.Certificate.Describe()}");
        output.WriteLine($"{fptas.Evaluated} evaluated ({fptas.History.Count(h => h.Proposal.Purpose == EvaluationPurpose.Audit)} for the audit), answer certified after {fptas.EvaluationsToCertify}");
    }

    [Fact]
    public void A_smaller_epsilon_never_certifies_a_worse_answer()
    {
        var coarse = SearchLoop.Run(Problem(new CountingError(MonotoneError), epsilon: 0.5), new Fptas());
        var fine = SearchLoop.Run(Problem(new CountingError(MonotoneError), epsilon: 0.01), new Fptas());

        Assert.True(fine.Certificate.Gap <= 1.01);
        Assert.True(fine.Best.W >= coarse.Best.W / 1.5);
        Assert.True(fine.Evaluations >= coarse.Evaluations);
    }

    [Theory]
    [InlineData("random")]
    [InlineData("nsga2")]
    public void Baselines_respect_the_evaluation_cap_and_repeat_for_a_seed(string name)
    {
        ISampler Make() => name == "random" ? new RandomSearch(3) : new Nsga2(3);
        var first = SearchLoop.Run(Problem(new CountingError(MonotoneError)), Make(), new SearchLimits(MaxEvaluations: 25));
        var again = SearchLoop.Run(Problem(new CountingError(MonotoneError)), Make(), new SearchLimits(MaxEvaluations: 25));

        Assert.True(first.Evaluations <= 25);
        Assert.Equal(first.Best.Architecture, again.Best.Architecture);
        Assert.Equal(first.Candidates.Select(c => c.Error), again.Candidates.Select(c => c.Error));
        Assert.Equal(CertificateKind.None, first.Certificate.Kind);
    }

    [Fact]
    public void Nsga2_without_a_cap_evaluates_at_most_a_tenth_of_the_space()
    {
        var result = SearchLoop.Run(Problem(new CountingError(MonotoneError)), new Nsga2(1));
        Assert.InRange(result.Evaluations, 16, 30);
    }

    [Fact]
    public void With_costs_that_grow_with_size_the_cheapest_candidate_comes_first_so_a_short_budget_still_has_an_answer()
    {
        int calls = 0;
        var error = new CancellableError((ξ, cancellation) =>
        {
            // Everything after the first evaluation would take a minute; the budget cuts the second short.
            if (++calls > 1 && cancellation.WaitHandle.WaitOne(TimeSpan.FromMinutes(1))) cancellation.ThrowIfCancellationRequested();
            return MonotoneError(ξ);
        });
        var problem = Problem(error, costGrowsWithSize: true);

        var result = SearchLoop.Run(problem, new Fptas(), new SearchLimits(Budget: TimeSpan.FromSeconds(1)));

        int cheapest = Enumerable.Range(0, problem.Count).MinBy(k => problem.EvaluationCost[k]);
        Assert.Equal(StopReason.BudgetSpent, result.StopReason);
        Assert.Equal(problem.Candidates[cheapest], result.Best.Architecture);
        Assert.Equal(EvaluationPurpose.First, result.Best.Purpose);
        Assert.Equal(CertificateKind.None, result.Certificate.Kind);
        Assert.Contains("budget", result.Certificate.Reason);
    }

    [Fact]
    public void A_budget_that_allows_no_evaluation_at_all_is_a_user_error() =>
        Assert.Throws<UserInputException>(() =>
            SearchLoop.Run(Problem(new CountingError(MonotoneError)), new Fptas(), new SearchLimits(Budget: TimeSpan.Zero)));

    [Fact]
    public void A_budget_beyond_what_a_timer_can_hold_is_only_checked_between_evaluations()
    {
        var result = SearchLoop.Run(Problem(new CountingError(MonotoneError)), new Fptas(), new SearchLimits(Budget: TimeSpan.FromDays(10_000)));
        Assert.Equal(StopReason.Completed, result.StopReason);
    }

    [Fact]
    public void An_interrupted_search_stops_with_what_it_has()
    {
        using var interrupt = new CancellationTokenSource();
        var error = new CountingError(ξ =>
        {
            interrupt.Cancel();
            return MonotoneError(ξ);
        });
        var result = SearchLoop.Run(Problem(error), new Fptas(), cancellation: interrupt.Token);

        Assert.Equal(StopReason.Interrupted, result.StopReason);
        Assert.Equal(1, result.Evaluations);
        Assert.Equal(CertificateKind.None, result.Certificate.Kind);
    }

    [Fact]
    public void Errors_that_rise_with_capacity_are_reported_as_violations_in_the_order_of_the_candidates()
    {
        var result = SearchLoop.Run(Problem(new CountingError(ξ => 1.0 + ξ.D * 0.01)), new ExhaustiveSearch());
        var smaller = result.MonotonicityViolations.Select(v => Bort.ToList().IndexOf(v.Smaller)).ToArray();

        Assert.NotEmpty(result.MonotonicityViolations);
        Assert.All(result.MonotonicityViolations, v => Assert.True(v.LargerError > v.SmallerError && v.Larger.Dominates(v.Smaller)
            && v.Larger.A == v.Smaller.A));
        Assert.Equal(smaller.Order(), smaller);
    }

    [Fact]
    public void The_source_itself_in_the_space_gets_W_zero()
    {
        var candidates = new List<Architecture>(Bort) { BertLarge.Architecture };
        var result = SearchLoop.Run(Problem(new CountingError(MonotoneError), candidates), new ExhaustiveSearch());
        Assert.Equal(0, result.Candidates.Single(c => c.Architecture == BertLarge.Architecture).W);
    }
}
