using Microsoft.ML.OnnxRuntime;
using TorchSharp;
using Ose.Models;
using static TorchSharp.torch;

namespace Ose.Testing;

/// <summary>A padded batch of token ids: row r holds Lengths[r] tokens, then padding (id 0, mask 0) up to Length.</summary>
sealed record PaddedBatch(long[] Ids, long[] Types, long[] Mask, int[] Lengths, int Length)
{
    public int Count => Lengths.Length;

    /// <summary>Random ids in [1, V) and token types in [0, T), each row's first token kept (it is what a classifier reads).</summary>
    public static PaddedBatch Random(int[] lengths, int length, int vocabulary, int tokenTypes, int seed)
    {
        var random = new Random(seed);
        var ids = new long[lengths.Length * length];
        var types = new long[ids.Length];
        var mask = new long[ids.Length];
        for (int r = 0; r < lengths.Length; r++)
            for (int p = 0; p < lengths[r]; p++)
            {
                ids[r * length + p] = random.Next(1, vocabulary);
                types[r * length + p] = random.Next(tokenTypes);
                mask[r * length + p] = 1;
            }
        return new PaddedBatch(ids, types, mask, lengths, length);
    }

    public (Tensor Ids, Tensor Types, Tensor Mask) ToTensors() =>
        (tensor(Ids, [Count, Length]), tensor(Types, [Count, Length]), tensor(Mask, [Count, Length]));

    /// <summary>The largest |a − b| over the tokens (not the padding) of [N, L, C] outputs flattened row-major.</summary>
    public float MaxDifferenceAtTokens(float[] a, float[] b)
    {
        int channels = a.Length / (Count * Length);
        float max = 0;
        for (int r = 0; r < Count; r++)
            for (int i = r * Length * channels; i < (r * Length + Lengths[r]) * channels; i++)
                max = Math.Max(max, Math.Abs(a[i] - b[i]));
        return max;
    }
}

/// <summary>ONNX Runtime, the reference our exported graphs are checked against (DESIGN 2.6), and our own outputs to compare.</summary>
static class OnnxRuntimeOracle
{
    /// <summary>Runs the file on <paramref name="batch"/>; returns the named output flattened.</summary>
    public static float[] Run(string path, PaddedBatch batch, string output)
    {
        using var options = new SessionOptions { IntraOpNumThreads = 1 };
        using var session = new InferenceSession(path, options);
        long[] shape = [batch.Count, batch.Length];
        using var ids = OrtValue.CreateTensorValueFromMemory(batch.Ids, shape);
        using var mask = OrtValue.CreateTensorValueFromMemory(batch.Mask, shape);
        using var types = OrtValue.CreateTensorValueFromMemory(batch.Types, shape);
        using var run = new RunOptions();
        using var results = session.Run(run, ["input_ids", "attention_mask", "token_type_ids"], [ids, mask, types], [output]);
        return results[0].GetTensorDataAsSpan<float>().ToArray();
    }

    /// <summary>Our model's output in eval mode, flattened.</summary>
    public static float[] Ours(Func<Tensor, Tensor, Tensor, Tensor> forward, nn.Module model, PaddedBatch batch)
    {
        model.eval();
        using var scope = NewDisposeScope();
        using var _ = inference_mode();
        var (ids, types, mask) = batch.ToTensors();
        return forward(ids, types, mask).contiguous().data<float>().ToArray();
    }

    /// <summary>
    /// Moves every parameter away from BERT's initialisation (zero biases, unit LayerNorms), so that a bias or a
    /// LayerNorm wired to the wrong place in the graph changes the output.
    /// </summary>
    public static void Perturb(nn.Module model, int seed)
    {
        manual_seed(seed);
        using var _ = no_grad();
        foreach (var p in model.parameters()) p.add_(randn_like(p) * 0.2);
    }
}
