using Ose.Costs;

namespace Ose.Tests.Costs;

public sealed class LatencyModelTests
{
    private static readonly Architecture[] Sample =
    [
        new(2, 4, 256, 512), new(2, 8, 512, 1024), new(4, 4, 256, 1024), new(4, 8, 512, 512), new(6, 4, 768, 3072),
        new(6, 12, 768, 1024), new(8, 16, 1024, 256), new(8, 8, 512, 3072), new(10, 16, 1024, 1024), new(12, 4, 256, 256),
    ];

    /// <summary>A latency that is exactly a combination of the model's terms.</summary>
    private static double Synthetic(Architecture ξ, int l)
    {
        double[] t = LatencyModel.Terms(ξ, l);
        return 2e-3 * t[0] + 3e-11 * t[1] + 4e-11 * t[2] + 1e-10 * t[3] + 5e-9 * t[4] + 2e-8 * t[5];
    }

    [Fact]
    public void A_latency_made_of_the_model_terms_is_recovered_on_architectures_the_fit_never_saw()
    {
        var fit = LatencyModel.Fit(Sample.Select(ξ => (ξ, Synthetic(ξ, 128))).ToArray(), 128);

        var unseen = new Architecture(5, 12, 960, 2000);
        Assert.Equal(Synthetic(unseen, 128), fit.Predict(unseen), Synthetic(unseen, 128) * 1e-6);
        Assert.True(fit.MedianRelativeError([(unseen, Synthetic(unseen, 128))]) < 1e-6);
    }

    [Fact]
    public void The_held_out_error_is_the_median_so_one_slowed_measurement_does_not_decide_it()
    {
        var fit = LatencyModel.Fit(Sample.Select(ξ => (ξ, Synthetic(ξ, 128))).ToArray(), 128);
        Architecture a = new(5, 12, 960, 2000), b = new(3, 4, 384, 768), c = new(7, 8, 640, 2560);

        double error = fit.MedianRelativeError([(a, Synthetic(a, 128)), (b, 3 * Synthetic(b, 128)), (c, Synthetic(c, 128))]);

        Assert.True(error < 1e-6, $"median {error}");
    }

    [Fact]
    public void Noisy_measurements_never_fit_a_negative_latency()
    {
        var random = new Random(3);
        var noisy = Sample.Select(ξ => (ξ, Synthetic(ξ, 128) * (0.5 + random.NextDouble()))).ToArray();

        var fit = LatencyModel.Fit(noisy, 128);

        foreach (var ξ in Sample.Append(new Architecture(1, 1, 64, 64)))
            Assert.True(fit.Predict(ξ) >= 0, $"{ξ}: {fit.Predict(ξ)}");
    }

    [Fact]
    public void Fewer_samples_than_terms_is_a_user_error()
    {
        var samples = Sample.Take(LatencyModel.TermCount - 1).Select(ξ => (ξ, 1.0)).ToArray();
        Assert.Throws<UserInputException>(() => LatencyModel.Fit(samples, 128));
    }
}
