using Ose.Models.Latency;
using static TorchSharp.torch;

namespace Ose.Models.Tests.Latency;

public sealed class ForwardLatencyTests
{
    [Fact]
    public void The_median_forward_time_of_a_tiny_encoder_is_positive_and_finite()
    {
        double seconds = ForwardLatency.MedianSeconds(Tiny.Config(), batch: 2, sequenceLength: 8, CPU, warmup: 1, repeats: 3);
        Assert.True(seconds > 0 && double.IsFinite(seconds));
    }

    [Fact]
    public void A_sequence_longer_than_the_positions_is_a_user_error() =>
        Assert.Throws<UserInputException>(() =>
            ForwardLatency.MedianSeconds(Tiny.Config(), batch: 1, sequenceLength: Tiny.Config().S + 1, CPU));
}
