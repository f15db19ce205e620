using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Ose.Pareto;

namespace Ose.Tests.Pareto;

public sealed class EpsilonParetoFrontProperties
{
    // Rounding in log(x)/log(1+ε) may place two points a hair over a factor 1+ε apart in one cell.
    private const double Slack = 1e-12;

    private static Gen<ObjectivePoint> Point =>
        from p in Gen.Choose(1, 1_000_000)
        from i in Gen.Choose(1, 1_000_000)
        from e in Gen.Choose(1, 10_000)
        select new ObjectivePoint(p * 1e3, i * 1e6, e / 1000.0);

    private static Arbitrary<(ObjectivePoint[] Points, double Epsilon)> Cases =>
        (from n in Gen.Choose(1, 300)
         from points in Point.ArrayOf(n)
         from e in Gen.Choose(1, 999)
         select (points, e / 1000.0)).ToArbitrary();

    [Property(MaxTest = 200)]
    public Property Every_point_is_covered_within_one_plus_epsilon_on_every_objective() =>
        Prop.ForAll(Cases, c =>
        {
            var front = EpsilonParetoFront.Build(c.Points, c.Epsilon).Select(k => c.Points[k]).ToArray();
            double factor = (1 + c.Epsilon) * (1 + Slack);
            return c.Points.All(x => front.Any(f => f.P <= factor * x.P && f.I <= factor * x.I && f.E <= factor * x.E));
        });

    [Property(MaxTest = 200)]
    public Property The_front_holds_at_most_one_point_per_occupied_cell_of_the_log_grid() =>
        Prop.ForAll(Cases, c =>
        {
            double logBase = Math.Log(1 + c.Epsilon);
            var front = EpsilonParetoFront.Build(c.Points, c.Epsilon);
            int occupiedCells = c.Points.Select(x => (EpsilonParetoFront.Cell(x.P, logBase), EpsilonParetoFront.Cell(x.I, logBase))).Distinct().Count();
            double pRange = c.Points.Max(x => x.P) / c.Points.Min(x => x.P), iRange = c.Points.Max(x => x.I) / c.Points.Min(x => x.I);
            double polynomialBound = Math.Ceiling(Math.Log(pRange) / logBase + 1) * Math.Ceiling(Math.Log(iRange) / logBase + 1);
            return front.Count <= occupiedCells && front.Count <= polynomialBound + 1e-9
                && front.Distinct().Count() == front.Count;
        });

    [Property(MaxTest = 200)]
    public Property No_point_of_the_front_is_dominated_by_another() =>
        Prop.ForAll(Cases, c =>
        {
            var front = EpsilonParetoFront.Build(c.Points, c.Epsilon).Select(k => c.Points[k]).ToArray();
            return front.All(f => !front.Any(g => !g.Equals(f) && g.P <= f.P && g.I <= f.I && g.E <= f.E));
        });

    [Fact]
    public void The_exact_pareto_set_is_kept_when_its_points_lie_in_distinct_cells()
    {
        ObjectivePoint[] points = [new(1, 100, 5), new(10, 10, 5), new(100, 1, 5), new(100, 100, 6)];
        Assert.Equal([0, 1, 2], EpsilonParetoFront.Build(points, 0.1));
    }
}
