using Ose.Models.Extraction;
using Xunit;

namespace Ose.Models.Tests.Extraction;

public sealed class ImportanceTests
{
    [Fact]
    public void Every_part_of_the_source_gets_a_finite_score()
    {
        var config = TinySources.Config();
        using var source = TinySources.Weights(config, seed: 1);
        var importance = Importance.Measure(source, TinySources.Calibration(config, 6), pad: 0);
        Assert.Equal(config.D, importance.Layers.Length);
        Assert.All(importance.Heads, h => Assert.Equal(config.A, h.Length));
        Assert.All(importance.Neurons, n => Assert.Equal(config.I, n.Length));
        Assert.Equal(config.H, importance.Channels.Length);
        Assert.All(importance.Channels, c => Assert.True(double.IsFinite(c) && c > 0));
    }
}
