using Ose.Models.Latency;

namespace Ose.Models.Tests.Latency;

public sealed class OnnxLatencyTests
{
    [Fact]
    public void A_larger_encoder_measures_slower_in_onnx_runtime_and_both_take_a_plausible_time()
    {
        // About 100 times the operations apart, so that a busy machine cannot swap them.
        var small = new EncoderConfig(1, 2, 32, 64, 1000, 64, 2);
        var large = new EncoderConfig(8, 4, 256, 1024, 1000, 64, 2);

        double smallSeconds = OnnxLatency.MedianSeconds(small, batch: 1, sequenceLength: 64, warmup: 1, repeats: 5);
        double largeSeconds = OnnxLatency.MedianSeconds(large, batch: 1, sequenceLength: 64, warmup: 1, repeats: 5);

        Assert.InRange(smallSeconds, 1e-6, 1.0);
        Assert.InRange(largeSeconds, 1e-5, 10.0);
        Assert.True(largeSeconds > smallSeconds, $"large {largeSeconds} s, small {smallSeconds} s");
    }

    [Fact]
    public void A_sequence_longer_than_the_positions_is_a_user_error() =>
        Assert.Throws<UserInputException>(() =>
            OnnxLatency.MedianSeconds(new EncoderConfig(1, 2, 32, 64, 1000, 64, 2), batch: 1, sequenceLength: 65));

    [Fact]
    public void Eight_sequences_take_longer_than_one() =>
        Assert.True(OnnxLatency.MedianSeconds(new EncoderConfig(2, 4, 128, 512, 1000, 64, 2), batch: 8, sequenceLength: 64, warmup: 1, repeats: 5)
            > OnnxLatency.MedianSeconds(new EncoderConfig(2, 4, 128, 512, 1000, 64, 2), batch: 1, sequenceLength: 64, warmup: 1, repeats: 5));
}
