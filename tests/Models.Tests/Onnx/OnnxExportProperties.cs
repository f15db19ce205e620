using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Ose.Models.Onnx;
using static TorchSharp.torch;

namespace Ose.Models.Tests.Onnx;

public sealed class OnnxExportProperties
{
    /// <summary>A tiny encoder (1-3 layers, 1-4 heads of size 1-6, any I, with or without a pooler) and a padded batch for it.</summary>
    public sealed record ExportCase(EncoderConfig Config, int[] Lengths, int Length, int Seed)
    {
        public override string ToString() => $"{Config}, lengths [{string.Join(", ", Lengths)}] padded to {Length}, seed {Seed}";
    }

    private static Arbitrary<ExportCase> Cases =>
        (from d in Gen.Choose(1, 3)
         from a in Gen.Choose(1, 4)
         from headSize in Gen.Choose(1, 6)
         from i in Gen.Choose(1, 40)
         from types in Gen.Choose(1, 3)
         from pooler in Gen.Elements(true, false)
         from length in Gen.Choose(1, 12)
         from lengths in Gen.Choose(1, length).ArrayOf().Where(l => l.Length is > 0 and <= 4)
         from seed in Gen.Choose(0, 1000)
         select new ExportCase(new EncoderConfig(d, a, a * headSize, i, V: 30, S: 12, T: types, Pooler: pooler, Dropout: 0),
             lengths, length, seed)).ToArbitrary();

    [Property(MaxTest = 30)]
    public Property Onnx_runtime_reproduces_every_tiny_encoder_at_every_token_within_1e_4() =>
        Prop.ForAll(Cases, c =>
        {
            string path = Path.Combine(Path.GetTempPath(), $"ose-onnx-property-{Guid.NewGuid():N}.onnx");
            try
            {
                manual_seed(c.Seed);
                using var model = new BertModel(c.Config);
                OnnxRuntimeOracle.Perturb(model, c.Seed + 1);
                OnnxExport.Write(model, path);
                var batch = PaddedBatch.Random(c.Lengths, c.Length, c.Config.V, c.Config.T, c.Seed + 2);
                float difference = batch.MaxDifferenceAtTokens(OnnxRuntimeOracle.Ours(model.call, model, batch),
                    OnnxRuntimeOracle.Run(path, batch, "last_hidden_state"));
                return (difference <= 1e-4f).Label($"max difference {difference}");
            }
            finally
            {
                File.Delete(path);
            }
        });
}
