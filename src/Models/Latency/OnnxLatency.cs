using System.Diagnostics;
using Microsoft.ML.OnnxRuntime;
using Ose.Models.Onnx;
using static TorchSharp.torch;

namespace Ose.Models.Latency;

/// <summary>
/// Measured inference cost in the engine users deploy on (issue 16): the median wall time of one forward pass in ONNX
/// Runtime of the encoder with random weights, exported by <see cref="OnnxExport"/>. Weights do not change the time of
/// dense kernels, so no training is needed.
/// </summary>
public static class OnnxLatency
{
    /// <summary>The input names of the exported graph, in the order <see cref="Inputs"/> gives them.</summary>
    public static readonly string[] InputNames = ["input_ids", "attention_mask", "token_type_ids"];

    public const string OutputName = "last_hidden_state";

    /// <summary>
    /// A CPU session on <paramref name="threads"/> intra-op threads, run in sequence, every graph optimisation on.
    /// Waiting threads sleep, as ours do (<see cref="OpenMpWaiting"/>): on a shared machine spinning slows both engines
    /// (docs/benchmarks.md).
    /// </summary>
    public static InferenceSession OpenSession(string onnxFile, int threads)
    {
        using var options = new SessionOptions
        {
            IntraOpNumThreads = threads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        return new InferenceSession(onnxFile, options);
    }

    /// <summary>ids, attention mask and token types as ONNX Runtime values, in the order of <see cref="InputNames"/>.</summary>
    public static OrtValue[] Inputs(Tensor ids, Tensor mask, Tensor types) => [Value(ids), Value(mask), Value(types)];

    private static OrtValue Value(Tensor t) => OrtValue.CreateTensorValueFromMemory(t.data<long>().ToArray(), t.shape);

    /// <summary>
    /// Median seconds of a forward pass of <paramref name="batch"/> sequences of <paramref name="sequenceLength"/>
    /// tokens, after <paramref name="warmup"/> passes, on libtorch's thread count (the threads our engine would use).
    /// The ONNX file is written to a temporary file and deleted after.
    /// </summary>
    public static double MedianSeconds(EncoderConfig config, int batch, int sequenceLength, int warmup = 2, int repeats = 7, long seed = 0)
    {
        if (batch < 1 || sequenceLength < 1 || repeats < 1)
            throw new UserInputException($"batch, sequence length and repeats must be positive ({batch}, {sequenceLength}, {repeats})");
        if (sequenceLength > config.S)
            throw new UserInputException($"sequence length {sequenceLength} exceeds the model's {config.S} positions");
        string file = Path.Combine(Path.GetTempPath(), $"ose-latency-{Guid.NewGuid():N}.onnx");
        try
        {
            manual_seed(seed);
            using (var model = new BertModel(config with { Dropout = 0 }))
            {
                model.eval();
                OnnxExport.Write(model, file);
            }
            using var session = OpenSession(file, get_num_threads());
            using var ids = randint(1, config.V, [batch, sequenceLength], dtype: ScalarType.Int64);
            using var types = zeros_like(ids);
            using var mask = ones_like(ids);
            var inputs = Inputs(ids, mask, types);
            using var run = new RunOptions();
            try
            {
                for (int w = 0; w < warmup; w++) Forward(session, run, inputs);
                var times = new double[repeats];
                for (int r = 0; r < repeats; r++)
                {
                    var clock = Stopwatch.StartNew();
                    Forward(session, run, inputs);
                    times[r] = clock.Elapsed.TotalSeconds;
                }
                Array.Sort(times);
                return repeats % 2 == 1 ? times[repeats / 2] : (times[repeats / 2 - 1] + times[repeats / 2]) / 2;
            }
            finally
            {
                foreach (var value in inputs) value.Dispose();
            }
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static void Forward(InferenceSession session, RunOptions run, OrtValue[] inputs)
    {
        using var outputs = session.Run(run, InputNames, inputs, [OutputName]);
    }
}
