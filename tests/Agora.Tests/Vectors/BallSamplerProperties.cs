using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Ose.Agora.Vectors;

namespace Ose.Agora.Tests.Vectors;

public sealed class BallSamplerProperties
{
    /// <summary>A seed point of 1 to 8 coordinates in [-100, 100], a radius in (0, 10], a sample size and a seed.</summary>
    public sealed record BallCase(float[] SeedPoint, double Radius, int Count, long Seed)
    {
        public override string ToString() =>
            $"seed point [{string.Join(", ", SeedPoint)}], radius {Radius}, {Count} samples, seed {Seed}";
    }

    private static Arbitrary<BallCase> Cases =>
        (from d in Gen.Choose(1, 8)
         from point in Gen.Choose(-100_000, 100_000).Select(x => x / 1000f).ArrayOf(d)
         from radius in Gen.Choose(1, 10_000).Select(r => r / 1000.0)
         from count in Gen.Choose(1, 30)
         from high in Gen.Choose(int.MinValue, int.MaxValue)
         from low in Gen.Choose(int.MinValue, int.MaxValue)
         select new BallCase(point, radius, count, ((long)high << 32) ^ (uint)low)).ToArbitrary();

    private static double Distance(float[] a, float[] b) => Math.Sqrt(a.Zip(b).Sum(p => Math.Pow((double)p.First - p.Second, 2)));

    [Property(MaxTest = 300)]
    public Property Every_sample_lies_within_the_radius_of_its_seed_point() =>
        Prop.ForAll(Cases, c =>
        {
            var samples = new BallSampler(c.Radius).Sample(c.SeedPoint, c.Count, c.Seed);
            // Samples are stored as floats: allow the rounding of each coordinate (half a float ulp of its size).
            double rounding = c.SeedPoint.Length * 1e-7 * (c.SeedPoint.Max(Math.Abs) + c.Radius);
            return samples.Count == c.Count
                && samples.All(s => s.Length == c.SeedPoint.Length && Distance(s, c.SeedPoint) <= c.Radius + rounding);
        });

    [Property(MaxTest = 300)]
    public Property The_same_seed_gives_the_same_samples_and_another_seed_other_samples() =>
        Prop.ForAll(Cases, c =>
        {
            var sampler = new BallSampler(c.Radius);
            var first = sampler.Sample(c.SeedPoint, c.Count, c.Seed);
            var again = new BallSampler(c.Radius).Sample(c.SeedPoint, c.Count, c.Seed);
            var other = sampler.Sample(c.SeedPoint, c.Count, c.Seed + 1);
            return first.Zip(again).All(p => p.First.SequenceEqual(p.Second))
                && !first.Zip(other).All(p => p.First.SequenceEqual(p.Second));
        });

    [Fact]
    public void Samples_fill_the_ball_uniformly_rather_than_crowding_its_centre_or_surface()
    {
        float[] centre = [1, -2, 3];
        var samples = new BallSampler(2).Sample(centre, 4000, seed: 7);

        // Uniform in volume in 3-D: P(distance ≤ r/2) = 1/8, and the mean is the centre.
        double innerShare = samples.Count(s => Distance(s, centre) <= 1) / 4000.0;
        Assert.InRange(innerShare, 0.125 - 0.025, 0.125 + 0.025);
        for (int i = 0; i < 3; i++) Assert.InRange(samples.Average(s => s[i]) - centre[i], -0.05, 0.05);
    }

    [Fact]
    public void A_radius_that_is_not_positive_is_a_user_error() =>
        Assert.Throws<UserInputException>(() => new BallSampler(0));

    [Fact]
    public void The_vector_format_reads_back_exactly_what_it_writes()
    {
        float[] point = [0.1f, -3.4028235e38f, 1.17549435e-38f, 2f / 3];
        var format = new VectorFormat();
        Assert.Equal(point, format.Read(format.Write(point)));
    }
}
