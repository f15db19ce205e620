using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Ose.Search;
using static Ose.Tests.Search.SearchFixtures;

namespace Ose.Tests.Search;

public sealed class SearchProperties
{
    /// <summary>A small random space and an error that never rises with capacity in D, A, H or I.</summary>
    public sealed record MonotoneCase(Architecture[] Candidates, double[] DWeights, double[] AWeights, double[] HWeights, double[] IWeights, double Epsilon)
    {
        // A sum of non-increasing terms in each parameter, so ξ ⪰ ξ' implies e(ξ) ≤ e(ξ').
        public double Error(Architecture ξ) =>
            0.05 + DWeights[0] / ξ.D + AWeights[0] / ξ.A + HWeights[0] * 100 / ξ.H + IWeights[0] * 100 / ξ.I;

        public override string ToString() => $"{Candidates.Length} candidates, ε = {Epsilon}, weights {DWeights[0]:F3} {AWeights[0]:F3} {HWeights[0]:F3} {IWeights[0]:F3}";
    }

    private static Gen<int[]> Values(int[] pool) =>
        Gen.SubListOf(pool).Where(list => list.Count > 0).Select(list => list.ToArray());

    private static Gen<double[]> Weight => Gen.Choose(0, 1000).Select(w => new[] { w / 1000.0 });

    private static Arbitrary<MonotoneCase> Cases =>
        (from d in Values([1, 2, 3, 4, 6, 8, 12])
         from a in Values([1, 2, 4, 8, 16])
         from h in Values([64, 128, 256, 512, 1024])
         from i in Values([64, 256, 1024, 3072])
         from wd in Weight
         from wa in Weight
         from wh in Weight
         from wi in Weight
         from e in Gen.Choose(1, 500)
         let candidates = (from x in d from y in a from z in h from w in i
                           let ξ = new Architecture(x, y, z, w) where ξ.IsValid select ξ).ToArray()
         where candidates.Length > 0
         select new MonotoneCase(candidates, wd, wa, wh, wi, e / 1000.0)).ToArbitrary();

    [Property(MaxTest = 150)]
    public Property The_bound_never_prunes_the_true_argmax_when_errors_fall_with_capacity() =>
        Prop.ForAll(Cases, c =>
        {
            var problem = Problem(new CountingError(c.Error), c.Candidates, epsilon: c.Epsilon);
            var result = new Fptas().Search(problem, new SearchLimits(), null, default);
            double optimum = TrueMaxW(problem, c.Error);
            return result.StopReason == StopReason.Completed
                && result.Best.W!.Value * (1 + c.Epsilon) >= optimum * (1 - 1e-12)
                && result.CertifiedGap <= 1 + c.Epsilon + 1e-12
                && result.MonotonicityViolations.Count == 0;
        });

    [Property(MaxTest = 150)]
    public Property After_a_completed_fptas_every_candidate_is_covered_using_its_true_error() =>
        Prop.ForAll(Cases, c =>
        {
            var problem = Problem(new CountingError(c.Error), c.Candidates, epsilon: c.Epsilon);
            var result = new Fptas().Search(problem, new SearchLimits(), null, default);
            double factor = (1 + c.Epsilon) * (1 + 1e-12);
            var evaluated = result.Candidates.Where(x => x.Error is not null).ToArray();
            return result.CoveredCount == c.Candidates.Length
                && result.Candidates.All(x => evaluated.Any(f => f.Parameters <= factor * x.Parameters
                    && f.Inference <= factor * x.Inference && f.Error <= factor * c.Error(x.Architecture)));
        });

    [Property(MaxTest = 150)]
    public Property The_error_bound_of_every_unevaluated_candidate_is_below_its_true_error() =>
        Prop.ForAll(Cases, c =>
        {
            var problem = Problem(new CountingError(c.Error), c.Candidates, epsilon: c.Epsilon);
            var result = new Fptas().Search(problem, new SearchLimits(MaxEvaluations: 3), null, default);
            return result.Candidates.All(x => x.ErrorLowerBound <= c.Error(x.Architecture)
                && (x.W is not null || x.WUpperBound >= problem.CostFactor[Array.IndexOf(c.Candidates, x.Architecture)] / c.Error(x.Architecture)));
        });

    private static Arbitrary<(double P, double I, double E, double Pt, double It, double Step)> WCases =>
        (from p in Gen.Choose(1, 999)
         from i in Gen.Choose(1, 999)
         from e in Gen.Choose(1, 1000)
         from step in Gen.Choose(1, 100)
         select (p * 1.0, i * 1.0, e / 100.0, 1000.0, 1000.0, step / 1000.0)).ToArbitrary();

    [Property(MaxTest = 300)]
    public Property W_strictly_falls_when_parameters_inference_or_error_grow() =>
        Prop.ForAll(WCases, c =>
        {
            double w = WCoefficient.Of(c.P, c.I, c.E, c.Pt, c.It);
            return WCoefficient.Of(c.P + c.Step, c.I, c.E, c.Pt, c.It) < w
                && WCoefficient.Of(c.P, c.I + c.Step, c.E, c.Pt, c.It) < w
                && WCoefficient.Of(c.P, c.I, c.E + c.Step, c.Pt, c.It) < w;
        });
}
