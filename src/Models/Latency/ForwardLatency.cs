using System.Diagnostics;
using static TorchSharp.torch;

namespace Ose.Models.Latency;

/// <summary>
/// Measured inference cost (DESIGN §2.2): the median wall time of a forward pass of the real encoder with random
/// weights, after warm-up, in inference mode. Weights do not change the time of dense kernels, so no training is needed.
/// </summary>
public static class ForwardLatency
{
    public static double MedianSeconds(EncoderConfig config, int batch, int sequenceLength, Device device,
        int warmup = 3, int repeats = 10, long seed = 0)
    {
        if (batch < 1 || sequenceLength < 1 || repeats < 1)
            throw new UserInputException($"batch, sequence length and repeats must be positive ({batch}, {sequenceLength}, {repeats})");
        if (sequenceLength > config.S)
            throw new UserInputException($"sequence length {sequenceLength} exceeds the model's {config.S} positions");
        manual_seed(seed);
        using var model = new BertModel(config with { Dropout = 0 }, device);
        model.eval();
        using var _ = inference_mode();
        using var ids = randint(0, config.V, [batch, sequenceLength], dtype: ScalarType.Int64, device: device);
        using var types = zeros([batch, sequenceLength], ScalarType.Int64, device);
        using var mask = ones([batch, sequenceLength], ScalarType.Int64, device);

        for (int w = 0; w < warmup; w++) Forward(model, ids, types, mask, device);
        var times = new double[repeats];
        for (int r = 0; r < repeats; r++)
        {
            var clock = Stopwatch.StartNew();
            Forward(model, ids, types, mask, device);
            times[r] = clock.Elapsed.TotalSeconds;
        }
        Array.Sort(times);
        return repeats % 2 == 1 ? times[repeats / 2] : (times[repeats / 2 - 1] + times[repeats / 2]) / 2;
    }

    /// <summary>
    /// One forward pass whose intermediate tensors are freed when it returns: held until the end of the measurement,
    /// they made every pass write to fresh pages, and the kernel's page zeroing took half of BERT-large's time.
    /// </summary>
    private static void Forward(BertModel model, Tensor ids, Tensor types, Tensor mask, Device device)
    {
        using var scope = NewDisposeScope();
        var output = model.call(ids, types, mask);
        // A GPU returns before the kernels finish; reading one value waits for them.
        if (device.type == TorchSharp.DeviceType.CUDA) output[0, 0, 0].item<float>();
    }
}
