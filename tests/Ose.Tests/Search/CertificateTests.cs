using Ose.Objectives;
using Ose.Search;
using static Ose.Tests.Search.SearchFixtures;

namespace Ose.Tests.Search;

public sealed class CertificateTests(Xunit.Abstractions.ITestOutputHelper output)
{
    /// <summary>Error U-shaped along one axis: lowest at <paramref name="best"/>, rising by half again at the ends.</summary>
    private static Func<Architecture, double> UShaped(Func<Architecture, double> axis, double best) =>
        ξ => MonotoneError(ξ) * (1 + 0.5 * Math.Pow(Math.Log(axis(ξ) / best), 2));

    /// <summary>The same error with a multiplicative noise of up to ±15%, a fixed function of the candidate and the seed.</summary>
    private static double Noisy(Architecture ξ, int seed) =>
        MonotoneError(ξ) * (1 + 0.15 * (2 * new Random(HashOf(ξ, seed)).NextDouble() - 1));

    private static int HashOf(Architecture ξ, int seed) => unchecked(((ξ.D * 31 + ξ.A) * 31 + ξ.H) * 31 + ξ.I + 7919 * seed);

    [Fact]
    public void Error_U_shaped_in_the_depth_refutes_D_as_a_bounding_axis_and_the_certificate_stays_true()
    {
        var error = UShaped(ξ => ξ.D, 6);
        var problem = Problem(new CountingError(error));
        var result = SearchLoop.Run(problem, new Fptas());

        Assert.Contains(result.BoundChanges, c => c.Kind == BoundChangeKind.AxisRefuted && c.Axis == Axis.D);
        Assert.DoesNotContain(Axis.D, result.Certificate.Axes);
        Assert.True(CertificateHolds(problem, result, error));
    }

    [Fact]
    public void Error_U_shaped_in_the_heads_keeps_bounds_from_crossing_A()
    {
        var error = UShaped(ξ => ξ.A, 8);
        var problem = Problem(new CountingError(error));
        var result = SearchLoop.Run(problem, new Fptas());

        // Measured from A = 4 up to 8 the error falls, so A is trusted; the first pair that shows the rise beyond 8 refutes it.
        Assert.Equal(BoundChangeKind.AxisRefuted, result.BoundChanges.Last(c => c.Axis == Axis.A).Kind);
        Assert.DoesNotContain(Axis.A, result.Certificate.Axes);
        Assert.Contains("at equal A", result.Certificate.Describe());
        Assert.True(CertificateHolds(problem, result, error));
    }

    [Fact]
    public void Bounds_cross_the_heads_only_once_a_measurement_along_A_found_no_rise()
    {
        var result = SearchLoop.Run(Problem(new CountingError(MonotoneError)), new Fptas());

        var trusted = Assert.Single(result.BoundChanges, c => c.Kind == BoundChangeKind.AxisTrusted);
        Assert.Equal(Axis.A, trusted.Axis);
        Assert.True(trusted.Larger.A > trusted.Smaller.A);
        Assert.Equal(trusted.Larger with { A = trusted.Smaller.A }, trusted.Smaller);
        Assert.Contains(Axis.A, result.Certificate.Axes);
    }

    [Fact]
    public void A_violation_withdraws_the_bounds_of_the_larger_evaluation_and_reopens_what_it_pruned()
    {
        var candidates = new[] { new Architecture(4, 4, 512, 1024), new Architecture(2, 4, 256, 512), new Architecture(2, 4, 256, 256) };
        var problem = Problem(new CountingError(MonotoneError), candidates);
        var bounds = new DominanceBounds(problem);

        bounds.Add(0, 3.0);
        Assert.Equal(3.0, bounds.ErrorLowerBound(2));
        bool withdrawn = bounds.Add(1, 2.0);

        Assert.True(withdrawn);
        Assert.True(bounds.IsWithdrawn(0));
        Assert.Equal(BoundChangeKind.BoundsWithdrawn, Assert.Single(bounds.Changes).Kind);
        // ⟨2,4,256,256⟩ is now bounded by ⟨2,4,256,512⟩'s 2.0 alone, no longer by the withdrawn 3.0.
        Assert.Equal(2.0, bounds.ErrorLowerBound(2));
    }

    [Fact]
    public void A_rise_along_one_axis_refutes_that_axis_instead_of_one_evaluation()
    {
        var candidates = new[] { new Architecture(4, 4, 512, 1024), new Architecture(2, 4, 512, 1024), new Architecture(1, 4, 512, 1024), new Architecture(4, 4, 256, 1024) };
        var problem = Problem(new CountingError(MonotoneError), candidates);
        var bounds = new DominanceBounds(problem);

        bounds.Add(0, 3.0);
        bounds.Add(1, 2.0);

        Assert.False(bounds.IsTrusted(Axis.D));
        Assert.False(bounds.IsWithdrawn(0));
        Assert.Equal(0, bounds.ErrorLowerBound(2));     // below in D only: nothing bounds it now
        Assert.Equal(3.0, bounds.ErrorLowerBound(3));   // below in H: still bounded
    }

    [Fact]
    public void A_noisy_error_gets_its_tolerance_from_repeats_and_its_noise_is_no_violation()
    {
        var noisy = SearchLoop.Run(Problem(new CountingError(ξ => Noisy(ξ, 0)), repeat: r => new CountingError(ξ => Noisy(ξ, r), $"noisy-{r}")),
            new ExhaustiveSearch());
        var fptas = SearchLoop.Run(Problem(new CountingError(ξ => Noisy(ξ, 0)), repeat: r => new CountingError(ξ => Noisy(ξ, r), $"noisy-{r}")),
            new Fptas());

        Assert.NotEmpty(noisy.MonotonicityViolations);
        Assert.Equal(Fptas.NoiseEvaluations - 1, fptas.History.Count(h => h.Proposal.Purpose == EvaluationPurpose.Repeat));
        Assert.True(fptas.Certificate.ToleranceFactor > 1);
        Assert.Contains("repeated evaluations", fptas.Certificate.Describe());
        Assert.All(fptas.MonotonicityViolations, v => Assert.True(v.LargerError > fptas.Certificate.ToleranceFactor * v.SmallerError));
    }

    [Fact]
    public void The_audit_catches_a_violation_rate_of_ten_percent_in_at_least_95_percent_of_seeds()
    {
        // 200 pruned candidates of which 20 violate their bounds, wherever they lie; 400 audit seeds.
        var pruned = Enumerable.Range(0, 200).ToArray();
        var violating = new Random(5).GetItems(pruned, 200).Distinct().Take(20).ToHashSet();
        int caught = Enumerable.Range(0, 400).Count(seed => Audit.Sample(pruned, seed, round: 0).Any(violating.Contains));

        // At the designed 95% a binomial count of 400 falls below 365 with probability under 0.1%.
        Assert.True(caught >= 365, $"caught in {caught} of 400 seeds");
        Assert.Equal(Audit.Sample(pruned, 3, 1), Audit.Sample(pruned, 3, 1));
    }

    [Fact]
    public void The_printed_certificate_states_its_assumption_and_its_audit()
    {
        var result = SearchLoop.Run(Problem(new CountingError(MonotoneError)), new Fptas(seed: 4));
        string text = result.Certificate.Describe();

        Assert.StartsWith($"W* ≤ {result.Certificate.Gap!.Value.ToString("0.####", System.Globalization.CultureInfo.InvariantCulture)} × W(chosen), assuming error does not rise with", text);
        Assert.Contains($"{result.Certificate.Audited} of {result.Certificate.Pruned} pruned candidates audited at random, 0 violations", text);
        Assert.Equal(result.Certificate.Audited, result.History.Count(h => h.Proposal.Purpose == EvaluationPurpose.Audit));
        Assert.Equal(Audit.SampleSize(result.Certificate.Pruned), result.Certificate.Audited);
    }

    /// <summary>
    /// How often each breakage of the assumption leads to a false certificate, over 400 seeded tables each (the figures of
    /// docs/search.md). A U along an axis and noise (measured by repeats) are caught by the probes, the checks of every
    /// evaluation, the tolerance and the audit; a single needle is only caught if the search or the audit evaluates it.
    /// </summary>
    [Theory]
    [InlineData(SearchProperties.Breakage.UShape, 0.0)]
    [InlineData(SearchProperties.Breakage.Noise, 0.0)]
    [InlineData(SearchProperties.Breakage.Needle, 0.15)]
    public void False_certificates_on_seeded_adversarial_tables_stay_within_what_the_audit_promises(SearchProperties.Breakage breakage, double allowed)
    {
        var random = new Random(2026);
        int[] Subset(int[] pool)
        {
            var chosen = pool.Where(_ => random.Next(2) == 0).ToArray();
            return chosen.Length > 0 ? chosen : [pool[random.Next(pool.Length)]];
        }
        int tables = 0, certified = 0, exact = 0, wrong = 0;
        double evaluated = 0;
        while (tables < 400)
        {
            var (d, a, h, i) = (Subset([1, 2, 3, 4, 6, 8, 12]), Subset([1, 2, 4, 8, 16]), Subset([64, 128, 256, 512, 1024]), Subset([64, 256, 1024, 3072]));
            var candidates = (from x in d from y in a from z in h from w in i let ξ = new Architecture(x, y, z, w) where ξ.IsValid select ξ).ToArray();
            if (candidates.Length < 2) continue;
            double Weight() => random.Next(1001) / 1000.0;
            var monotone = new SearchProperties.MonotoneCase(candidates, [Weight()], [Weight()], [Weight()], [Weight()], new[] { 0.01, 0.1, 0.5 }[random.Next(3)]);
            var c = new SearchProperties.AdversarialCase(monotone, breakage, (Axis)random.Next(4), random.Next(candidates.Length),
                random.Next(1, 201) / 100.0, random.Next(candidates.Length), random.Next(1001));
            var problem = Problem(new CountingError(c.Error), candidates, epsilon: monotone.Epsilon,
                repeat: breakage == SearchProperties.Breakage.Noise ? r => new CountingError(ξ => c.Error(ξ, r), $"noise-{r}") : null);
            var result = SearchLoop.Run(problem, new Fptas(tables));
            tables++;
            certified += result.Certificate.Kind == CertificateKind.Bounds ? 1 : 0;
            exact += result.Certificate.Kind == CertificateKind.Exact ? 1 : 0;
            evaluated += (double)result.Evaluated / candidates.Length;
            if (CertificateHolds(problem, result, c.Error)) continue;
            wrong++;
            Assert.True(SearchProperties.AssumptionFailsUnseen(result, c.Error), $"a false certificate without an unseen violation: {c}");
        }
        output.WriteLine($"{breakage}: {tables} tables, {certified} certified by bounds, {exact} exact, {wrong} false certificates, " +
            $"{evaluated / tables:P0} of the candidates evaluated on average");
        Assert.True(wrong <= allowed * tables, $"{wrong} false certificates of {tables}");
    }
}
