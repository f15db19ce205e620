using Microsoft.ML.OnnxRuntime;
using Ose.Models.Text;
using static TorchSharp.torch;

namespace Ose.Models.Sources;

/// <summary>What running one ONNX file in ONNX Runtime and in our encoder gave.</summary>
/// <param name="MaxAbsoluteDifference">Largest |Δ| of last_hidden_state over the non-padded positions.</param>
public sealed record EncoderComparison(double MaxAbsoluteDifference, int Sequences, int PaddedLength, int Tokens, string Runtime)
{
    public bool Agrees => MaxAbsoluteDifference <= OnnxRuntimeComparison.Tolerance;
}

/// <summary>
/// The check of an import against a real engine (DESIGN §2.6: ONNX Runtime is the oracle): the same ONNX file runs in
/// ONNX Runtime and, through <see cref="OnnxImport"/>, in our TorchSharp encoder, on real sentences batched with padding
/// and with a sentence pair (token type 1). Compared on non-padded positions only: the exported graph masks padded keys
/// by adding −10000 before the softmax, ours with SDPA's boolean mask, so the two differ by design where the query
/// itself is padding and by exp(−10000) elsewhere.
/// </summary>
public static class OnnxRuntimeComparison
{
    /// <summary>fp32: two correct implementations of BERT agree far inside this (summation order, erf, fused kernels).</summary>
    public const double Tolerance = 1e-4;

    /// <summary>First and second text of each sequence (null: a single sentence); lengths differ, so the batch pads.</summary>
    public static IReadOnlyList<(string First, string? Second)> Sentences { get; } =
    [
        ("The quick brown fox jumps over the lazy dog.", null),
        ("I like strawberries.", null),
        ("Optimal subarchitecture extraction looks for the sub-network with the best trade-off between size, speed and error.", null),
        ("Where is the nearest train station?", "Take the second street on the left, then walk for five minutes."),
        ("He said the battery lasts all day, and it does.", null),
        ("Résumé of the naïve café owner.", null),
        ("Is this phone worth the money?", "No."),
        ("Grammar", null),
    ];

    public static EncoderComparison Compare(string onnxPath, SourceWeights weights, string vocabulary, int threads = 2)
    {
        var tokenizer = WordPieceTokenizer.Load(vocabulary);
        var encoded = Sentences.Select(s => tokenizer.EncodeForClassification(s.First, s.Second, weights.Config.S)).ToArray();
        int n = encoded.Length, length = encoded.Max(e => e.Ids.Length);
        var ids = new long[n * length];
        var types = new long[n * length];
        var mask = new long[n * length];
        for (int b = 0; b < n; b++)
        {
            Array.Fill(ids, tokenizer.Special.Pad, b * length, length);
            for (int t = 0; t < encoded[b].Ids.Length; t++)
            {
                ids[b * length + t] = encoded[b].Ids[t];
                types[b * length + t] = encoded[b].TokenTypes[t];
                mask[b * length + t] = 1;
            }
        }

        float[] reference = RunOnnxRuntime(onnxPath, ids, types, mask, n, length, weights.Config.H, threads);
        float[] ours;
        using (var model = SourceModels.Encoder(weights, CPU))
        using (no_grad())
        using (NewDisposeScope())
        {
            Tensor Batch(long[] values) => tensor(values, [n, length]);
            ours = model.call(Batch(ids), Batch(types), Batch(mask)).contiguous().data<float>().ToArray();
        }

        double largest = 0;
        int h = weights.Config.H;
        for (int position = 0; position < n * length; position++)
        {
            if (mask[position] == 0) continue;
            for (int k = 0; k < h; k++)
                largest = Math.Max(largest, Math.Abs(reference[position * h + k] - ours[position * h + k]));
        }
        return new EncoderComparison(largest, n, length, (int)mask.Sum(), $"ONNX Runtime {OrtEnv.Instance().GetVersionString()}");
    }

    /// <summary>last_hidden_state [N, L, H] from ONNX Runtime, fed only the inputs the graph declares.</summary>
    private static float[] RunOnnxRuntime(string path, long[] ids, long[] types, long[] mask, int n, int length, int hidden, int threads)
    {
        using var options = new SessionOptions { IntraOpNumThreads = threads, InterOpNumThreads = 1 };
        using var session = new InferenceSession(path, options);
        long[] shape = [n, length];
        var available = new Dictionary<string, long[]> { ["input_ids"] = ids, ["token_type_ids"] = types, ["attention_mask"] = mask };
        var names = session.InputMetadata.Keys.ToArray();
        if (names.FirstOrDefault(name => !available.ContainsKey(name)) is { } unknown)
            throw new UserInputException($"{path}: input '{unknown}' is not one of BERT's (input_ids, token_type_ids, attention_mask)");
        var inputs = names.Select(name => OrtValue.CreateTensorValueFromMemory(available[name], shape)).ToArray();
        try
        {
            string output = session.OutputMetadata.ContainsKey("last_hidden_state") ? "last_hidden_state"
                : session.OutputMetadata.FirstOrDefault(o => o.Value.Dimensions.Length == 3).Key
                  ?? throw new UserInputException($"{path}: no output of rank 3 (last_hidden_state) to compare");
            using var results = session.Run(new RunOptions(), names, inputs, [output]);
            var result = results[0];
            long[] resultShape = result.GetTensorTypeAndShape().Shape;
            if (!resultShape.SequenceEqual(new long[] { n, length, hidden }))
                throw new UserInputException($"{path}: '{output}' has shape [{string.Join(',', resultShape)}], not [{n},{length},{hidden}]");
            return result.GetTensorDataAsSpan<float>().ToArray();
        }
        finally
        {
            foreach (var input in inputs) input.Dispose();
        }
    }
}
