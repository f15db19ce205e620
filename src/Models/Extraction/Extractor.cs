using Ose.Models.Sources;
using TorchSharp;
using static TorchSharp.torch;

namespace Ose.Models.Extraction;

/// <summary>
/// Cuts the sub-network an <see cref="ExtractionPlan"/> names out of a source: every tensor is a slice of the source's.
/// Hidden channels are sliced the same way everywhere the residual stream appears (embedding tables, every LayerNorm,
/// the H side of every matrix, the pooler and the masked-LM head), so the kept channels still line up after each
/// residual add. Heads keep their own dimensions; when ξ's head size d' = H'/A' differs from the source's d:
/// <list type="bullet">
/// <item>Q is scaled by √(d'/d), so that q·k/√d' over the kept dimensions is the source's partial sum over √d;</item>
/// <item>d' &gt; d pads each head with d' − d dimensions that leave the function unchanged yet can learn: random rows of
/// Q against zero rows of K (their logits add q·0 = 0), random rows of V against zero columns of W_O.</item>
/// </list>
/// The source's own shape is therefore the source itself, bit for bit.
/// </summary>
public static class Extractor
{
    /// <summary>BERT's initialiser, for the padding rows.</summary>
    private const double PaddingStd = EncoderConfig.InitializerRange;

    public static SourceWeights Extract(SourceWeights source, ExtractionPlan plan, long seed = 0)
    {
        var ξ = plan.Target;
        var config = source.Config with { D = ξ.D, A = ξ.A, H = ξ.H, I = ξ.I };
        var generator = new Generator((ulong)seed);
        var tensors = new Dictionary<string, Tensor>();
        using (no_grad())
        using (var scope = NewDisposeScope())
        {
            var channels = Indices(plan.Channels);
            Tensor Vector(string name) => source[name].index_select(0, channels);
            Tensor Square(string name) => source[name].index_select(0, channels).index_select(1, channels);
            void Keep(string name, Tensor t) => tensors[name] = t.contiguous().MoveToOuterDisposeScope();

            foreach (string table in new[] { "word", "position", "token_type" })
                Keep($"embeddings.{table}_embeddings.weight", source[$"embeddings.{table}_embeddings.weight"].index_select(1, channels));
            Keep("embeddings.LayerNorm.weight", Vector("embeddings.LayerNorm.weight"));
            Keep("embeddings.LayerNorm.bias", Vector("embeddings.LayerNorm.bias"));

            int padding = Math.Max(0, plan.HeadSize - plan.SourceHeadSize);
            double queryScale = Math.Sqrt((double)plan.HeadSize / plan.SourceHeadSize);
            for (int n = 0; n < plan.Layers.Length; n++)
            {
                var kept = plan.Layers[n];
                string from = $"encoder.layer.{kept.Layer}.", to = $"encoder.layer.{n}.";
                Tensor S(string name) => source[from + name];
                void K(string name, Tensor t) => Keep(to + name, t);

                // Q, K, V: rows by head dimension (then padding), columns by channel.
                Tensor HeadRows(Tensor t, Func<KeptHead, int[]> dims, bool randomPadding) => cat(kept.Heads.Select(h =>
                {
                    var rows = t.index_select(0, Indices(dims(h)));
                    if (padding == 0) return rows;
                    long[] shape = [padding, .. rows.shape.Skip(1)];
                    var pad = randomPadding && rows.dim() == 2 ? normal(0, PaddingStd, shape, generator: generator) : zeros(shape);
                    return cat([rows, pad], 0);
                }).ToArray(), 0);
                var weight = (string name) => S(name).index_select(1, channels);
                K("attention.self.query.weight", HeadRows(weight("attention.self.query.weight"), h => h.QueryKey, randomPadding: true) * queryScale);
                K("attention.self.query.bias", HeadRows(S("attention.self.query.bias"), h => h.QueryKey, randomPadding: true) * queryScale);
                K("attention.self.key.weight", HeadRows(weight("attention.self.key.weight"), h => h.QueryKey, randomPadding: false));
                K("attention.self.key.bias", HeadRows(S("attention.self.key.bias"), h => h.QueryKey, randomPadding: false));
                K("attention.self.value.weight", HeadRows(weight("attention.self.value.weight"), h => h.Value, randomPadding: true));
                K("attention.self.value.bias", HeadRows(S("attention.self.value.bias"), h => h.Value, randomPadding: true));

                // W_O: rows by channel, columns as V's rows, zero where V is padding.
                var output = S("attention.output.dense.weight").index_select(0, channels);
                K("attention.output.dense.weight", HeadRows(output.t(), h => h.Value, randomPadding: false).t());
                K("attention.output.dense.bias", Vector(from + "attention.output.dense.bias"));
                K("attention.output.LayerNorm.weight", Vector(from + "attention.output.LayerNorm.weight"));
                K("attention.output.LayerNorm.bias", Vector(from + "attention.output.LayerNorm.bias"));

                var neurons = Indices(kept.Neurons);
                K("intermediate.dense.weight", S("intermediate.dense.weight").index_select(0, neurons).index_select(1, channels));
                K("intermediate.dense.bias", S("intermediate.dense.bias").index_select(0, neurons));
                K("output.dense.weight", S("output.dense.weight").index_select(0, channels).index_select(1, neurons));
                K("output.dense.bias", Vector(from + "output.dense.bias"));
                K("output.LayerNorm.weight", Vector(from + "output.LayerNorm.weight"));
                K("output.LayerNorm.bias", Vector(from + "output.LayerNorm.bias"));
            }

            if (config.Pooler)
            {
                Keep("pooler.dense.weight", Square("pooler.dense.weight"));
                Keep("pooler.dense.bias", Vector("pooler.dense.bias"));
            }
            if (source.HasMaskedLmHead)
            {
                Keep("cls.predictions.transform.dense.weight", Square("cls.predictions.transform.dense.weight"));
                Keep("cls.predictions.transform.dense.bias", Vector("cls.predictions.transform.dense.bias"));
                Keep("cls.predictions.transform.LayerNorm.weight", Vector("cls.predictions.transform.LayerNorm.weight"));
                Keep("cls.predictions.transform.LayerNorm.bias", Vector("cls.predictions.transform.LayerNorm.bias"));
                Keep("cls.predictions.bias", source["cls.predictions.bias"].clone());
            }
        }
        return new SourceWeights(config, tensors, $"{ξ} extracted");
    }

    private static Tensor Indices(int[] indices) => tensor(indices.Select(i => (long)i).ToArray());
}
