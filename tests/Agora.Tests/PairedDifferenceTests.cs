using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Ose.Agora.Tests;

public sealed class PairedDifferenceTests
{
    [Fact]
    public void Five_differences_give_the_textbook_t_interval()
    {
        // Mean 3, s = √2.5, t(0.975, 4) = 2.7764 from the tables: half-width 2.7764 · 1.5811 / √5 = 1.9632.
        var d = PairedDifference.Of([1, 2, 3, 4, 5]);
        Assert.Equal(3, d.Mean, 12);
        Assert.Equal(3 - 1.9632, d.Low, 3);
        Assert.Equal(3 + 1.9632, d.High, 3);
        Assert.True(d.Low > 0);
    }

    [Fact]
    public void A_single_difference_has_no_interval()
    {
        Assert.Throws<ArgumentException>(() => PairedDifference.Of([0.1]));
    }

    [Property(MaxTest = 200)]
    public Property The_interval_holds_the_mean_moves_with_a_shift_and_narrows_as_the_same_spread_is_seen_more_often(NonEmptyArray<NormalFloat> raw, NormalFloat shift)
    {
        var values = raw.Get.Select(v => Math.Clamp(v.Get, -1e3, 1e3)).ToArray();
        if (values.Length < 2 || values.Distinct().Count() < 2) return true.ToProperty();
        double c = Math.Clamp(shift.Get, -1e3, 1e3);
        var d = PairedDifference.Of(values);
        var shifted = PairedDifference.Of(values.Select(v => v + c).ToArray());
        var twice = PairedDifference.Of([.. values, .. values]);
        return (d.Low <= d.Mean && d.Mean <= d.High).Label("holds the mean")
            .And((Math.Abs(shifted.Low - (d.Low + c)) < 1e-6 && Math.Abs(shifted.High - (d.High + c)) < 1e-6).Label("moves with a shift"))
            .And((twice.High - twice.Low < d.High - d.Low).Label("narrows with more pairs"));
    }

    [Fact]
    public void Over_many_simulated_studies_the_95_percent_interval_covers_the_true_difference_about_95_percent_of_the_time()
    {
        var random = new Random(7);
        int covered = 0, studies = 4000;
        for (int s = 0; s < studies; s++)
        {
            // Ten paired differences with true mean 0.03 and sd 0.05, normal (Box–Muller).
            var values = Enumerable.Range(0, 10).Select(_ =>
                0.03 + 0.05 * Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble())).ToArray();
            var d = PairedDifference.Of(values);
            if (d.Low <= 0.03 && 0.03 <= d.High) covered++;
        }
        Assert.InRange(covered / (double)studies, 0.935, 0.965);
    }
}
