using System.Text.Json;
using Ose.Models.Sources;
using Ose.IO;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Ose.Models.Extraction;

/// <summary>
/// How much each part of a source matters, measured from its activations on a calibration sample (the one-shot,
/// activation-based importance of Minitron: Muralidharan et al. 2024, "Compact Language Models via Pruning and
/// Knowledge Distillation", §2.2; Sreenivas et al. 2024, "LLM Pruning and Distillation in Practice"). Every score is
/// aggregated over the non-padded tokens of the sample.
/// </summary>
/// <param name="Layers">[D] block importance 1 − E[cos(x, B(x))] (ShortGPT's BI, which Minitron uses for depth).</param>
/// <param name="Heads">[D][A] E‖head output‖₂: the norm of each head's attention output (Minitron's head score).</param>
/// <param name="QueryKey">[D][H] RMS(q_j)·RMS(k_j): how much dimension j of its head adds to the attention logits.</param>
/// <param name="Value">[D][H] RMS(v_j)·‖W_O[:, j]‖₂: how much dimension j of its head adds to the attention output.</param>
/// <param name="Neurons">[D][I] RMS of each intermediate neuron after GELU (Minitron's neuron score, as an RMS).</param>
/// <param name="Channels">[H] Σ over the 2D + 1 LayerNorms of the RMS of their output channel (Minitron's embedding-channel score).</param>
/// <param name="Tokens">Non-padded tokens the scores were measured on.</param>
public sealed record Importance(
    double[] Layers, double[][] Heads, double[][] QueryKey, double[][] Value, double[][] Neurons, double[] Channels, long Tokens)
{
    /// <summary>
    /// Runs the source on the calibration sequences (padding = <paramref name="pad"/>) and reads the activations with
    /// forward hooks on our own encoder, so the scores come from the very network that is sliced.
    /// </summary>
    public static Importance Measure(SourceWeights weights, IReadOnlyList<long[]> sequences, long pad, int batchSize = 16)
    {
        if (sequences.Count == 0) throw new UserInputException("the calibration sample is empty");
        var c = weights.Config;
        int d = c.H / c.A;
        using var model = SourceModels.Encoder(weights, CPU);
        var layerNorms = new List<double[]>();
        var layers = new double[c.D];
        var heads = Jagged(c.D, c.A);
        var (query, key, value) = (Jagged(c.D, c.H), Jagged(c.D, c.H), Jagged(c.D, c.H));
        var neurons = Jagged(c.D, c.I);
        long tokens = 0;
        Tensor keep = empty(0);   // [N·L] true at non-padded tokens, of the batch being run

        Tensor Tokens(Tensor t) => t.reshape(-1, t.shape[^1])[keep];
        void AddSquares(double[] sums, Tensor t) => Add(sums, Tokens(t).pow(2).sum(dim: 0));
        var hooks = new List<Action>();   // each removes one hook
        foreach (var (name, module) in model.named_modules())
        {
            var parts = name.Split('.');
            int layer = parts.Length > 2 && parts[0] == "encoder" ? int.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture) : -1;
            string role = layer < 0 ? name : string.Join('.', parts[3..]);
            switch (role, module)
            {
                case ("embeddings.LayerNorm" or "attention.output.LayerNorm" or "output.LayerNorm", nn.Module<Tensor, Tensor> norm):
                    var sums = new double[c.H];
                    layerNorms.Add(sums);
                    hooks.Add(norm.register_forward_hook((_, _, y) => { AddSquares(sums, y); return y; }).remove);
                    break;
                case ("attention.self.query", nn.Module<Tensor, Tensor> q):
                    hooks.Add(q.register_forward_hook((_, _, y) => { AddSquares(query[layer], y); return y; }).remove);
                    break;
                case ("attention.self.key", nn.Module<Tensor, Tensor> k):
                    hooks.Add(k.register_forward_hook((_, _, y) => { AddSquares(key[layer], y); return y; }).remove);
                    break;
                case ("attention.self.value", nn.Module<Tensor, Tensor> v):
                    hooks.Add(v.register_forward_hook((_, _, y) => { AddSquares(value[layer], y); return y; }).remove);
                    break;
                case ("attention.self", nn.Module<Tensor, Tensor, Tensor> self):
                    hooks.Add(self.register_forward_hook((_, _, _, y) =>
                    {
                        Add(heads[layer], Tokens(y).view(-1, c.A, d).pow(2).sum(dim: -1).sqrt().sum(dim: 0));
                        return y;
                    }).remove);
                    break;
                case ("intermediate", nn.Module<Tensor, Tensor> intermediate):
                    hooks.Add(intermediate.register_forward_hook((_, _, y) => { AddSquares(neurons[layer], y); return y; }).remove);
                    break;
                case ("", nn.Module<Tensor, Tensor, Tensor> block):
                    hooks.Add(block.register_forward_hook((_, x, _, y) =>
                    {
                        layers[layer] += F.cosine_similarity(Tokens(x), Tokens(y), dim: 1).sum().item<float>();
                        return y;
                    }).remove);
                    break;
            }
        }
        if (layerNorms.Count != 2 * c.D + 1 || hooks.Count != 8 * c.D + 1)
            throw new InvalidOperationException($"the encoder's modules are not named as Hugging Face's: found {layerNorms.Count} LayerNorms and {hooks.Count} hooks");

        try
        {
            using var _ = no_grad();
            for (int start = 0; start < sequences.Count; start += batchSize)
            {
                using var scope = NewDisposeScope();
                var batch = sequences.Skip(start).Take(batchSize).ToArray();
                var ids = tensor(batch.SelectMany(s => s).ToArray(), [batch.Length, batch[0].Length]);
                var mask = ids.ne(pad);
                keep = mask.flatten();
                tokens += keep.sum().item<long>();
                model.call(ids, zeros_like(ids), mask.to(ScalarType.Int64));
            }
        }
        finally
        {
            foreach (var remove in hooks) remove();
        }

        double Rms(double sumOfSquares) => Math.Sqrt(sumOfSquares / tokens);
        var outputNorms = Enumerable.Range(0, c.D)
            .Select(l => weights[$"encoder.layer.{l}.attention.output.dense.weight"].pow(2).sum(dim: 0).sqrt().data<float>().ToArray()).ToArray();
        return new Importance(
            layers.Select(s => 1 - s / tokens).ToArray(),
            heads.Select(h => h.Select(s => s / tokens).ToArray()).ToArray(),
            Enumerable.Range(0, c.D).Select(l => Enumerable.Range(0, c.H).Select(j => Rms(query[l][j]) * Rms(key[l][j])).ToArray()).ToArray(),
            Enumerable.Range(0, c.D).Select(l => Enumerable.Range(0, c.H).Select(j => Rms(value[l][j]) * outputNorms[l][j]).ToArray()).ToArray(),
            neurons.Select(n => n.Select(Rms).ToArray()).ToArray(),
            Enumerable.Range(0, c.H).Select(j => layerNorms.Sum(sums => Rms(sums[j]))).ToArray(),
            tokens);
    }

    private static double[][] Jagged(int rows, int columns) => Enumerable.Range(0, rows).Select(_ => new double[columns]).ToArray();

    private static void Add(double[] sums, Tensor values)
    {
        var v = values.to_type(ScalarType.Float64).data<double>().ToArray();
        for (int j = 0; j < sums.Length; j++) sums[j] += v[j];
    }

    public void Save(string path) => CrashSafe.WriteText(path, JsonSerializer.Serialize(this));

    public static Importance? TryLoad(string path)
    {
        if (!File.Exists(path)) return null;
        try
        {
            return JsonSerializer.Deserialize<Importance>(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            throw new UserInputException($"{path} is not an importance file: {e.Message}");
        }
    }
}
