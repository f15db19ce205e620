using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Ose.Costs;
using Ose.Models.Extraction;
using Ose.Models.Sources;
using Xunit;
using static TorchSharp.torch;

namespace Ose.Models.Tests.Extraction;

public sealed class ExtractorTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("ose-extract-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private static readonly EncoderConfig Config = TinySources.Config();   // ⟨3, 4, 32, 48⟩, head size 8

    private static Importance Measure(SourceWeights source) =>
        Importance.Measure(source, TinySources.Calibration(source.Config, 8), pad: 0);

    private static Architecture Shape(EncoderConfig c) => new(c.D, c.A, c.H, c.I);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Extracting_the_source_s_own_shape_reproduces_its_outputs_exactly(bool maskedLmHead)
    {
        using var source = TinySources.Weights(Config, seed: 7, maskedLmHead);
        var plan = ExtractionPlan.For(Measure(source), Config, Shape(Config));

        using var extracted = Extractor.Extract(source, plan);

        Assert.All(source.Tensors, p => Assert.True(p.Value.allclose(extracted[p.Key], rtol: 0, atol: 0), p.Key));
        using var original = SourceModels.Encoder(source, CPU);
        using var copy = SourceModels.Encoder(extracted, CPU);
        var batch = TinySources.Batch(Config, 4, 12, seed: 2);
        Assert.True(TinySources.Hidden(original, batch).allclose(TinySources.Hidden(copy, batch), rtol: 0, atol: 0));
    }

    /// <summary>Any ξ at most the source on every axis (A dividing H), with or without pooler and head.</summary>
    private static Arbitrary<(Architecture ξ, bool Pooler, bool Head)> Within =>
        (from d in Gen.Choose(1, Config.D)
         from a in Gen.Elements(1, 2, 4)
         from perHead in Gen.Choose(1, Config.H / a)
         from i in Gen.Choose(1, Config.I)
         from pooler in Gen.Elements(true, false)
         from head in Gen.Elements(true, false)
         select (new Architecture(d, a, a * perHead, i), pooler, head)).ToArbitrary();

    [Property(MaxTest = 40)]
    public Property An_extracted_sub_network_has_exactly_the_parameters_p_of_xi_and_runs() =>
        Prop.ForAll(Within, c =>
        {
            var config = Config with { Pooler = c.Pooler };
            using var source = TinySources.Weights(config, seed: 1, maskedLmHead: c.Head);
            using var extracted = Extractor.Extract(source, ExtractionPlan.For(Measure(source), config, c.ξ));
            using var model = SourceModels.Encoder(extracted, CPU);
            long expected = ParameterCount.Of(c.ξ, new FixedShape(config.V, config.S, config.T, config.Pooler)).Total;
            var hidden = TinySources.Hidden(model, TinySources.Batch(config, 2, 6, seed: 0));
            return model.ParameterCount() == expected
                && SourceWeights.EncoderNames(extracted.Config).Sum(n => extracted[n].numel()) == expected
                && extracted.HasMaskedLmHead == c.Head
                && hidden.shape.SequenceEqual(new long[] { 2, 6, c.ξ.H }) && hidden.isfinite().all().item<bool>();
        });

    [Property(MaxTest = 60)]
    public Property A_smaller_sub_architecture_keeps_a_subset_of_what_a_larger_one_keeps() =>
        Prop.ForAll(Within, Within, (small, large) =>
        {
            var lower = new Architecture(Math.Min(small.ξ.D, large.ξ.D), Math.Min(small.ξ.A, large.ξ.A),
                Math.Min(small.ξ.H, large.ξ.H), Math.Min(small.ξ.I, large.ξ.I));
            var upper = new Architecture(Math.Max(small.ξ.D, large.ξ.D), Math.Max(small.ξ.A, large.ξ.A),
                Math.Max(small.ξ.H, large.ξ.H), Math.Max(small.ξ.I, large.ξ.I));
            if (!lower.IsValid || !upper.IsValid) return true.ToProperty();
            using var source = TinySources.Weights(Config, seed: 3);
            var importance = Measure(source);
            var a = ExtractionPlan.For(importance, Config, lower);
            var b = ExtractionPlan.For(importance, Config, upper);
            bool Subset(IEnumerable<int> x, IEnumerable<int> y) => !x.Except(y).Any();
            var layersOfB = b.Layers.ToDictionary(l => l.Layer);
            return (Subset(a.Layers.Select(l => l.Layer), layersOfB.Keys)
                && Subset(a.Channels, b.Channels)
                && a.Layers.All(l => Subset(l.Neurons, layersOfB[l.Layer].Neurons)
                    && Subset(l.Heads.Select(h => h.Head), layersOfB[l.Layer].Heads.Select(h => h.Head)))).ToProperty();
        });

    [Fact]
    public void Fewer_wider_heads_compute_exactly_the_source_without_the_heads_left_out()
    {
        // ⟨3, 2, 32, 48⟩ keeps 2 of 4 heads, each padded from 8 to 16 dimensions: the padding must add nothing, and Q's
        // √(d'/d) scaling must undo SDPA's 1/√d'. The reference: the source with the other heads' W_O columns zeroed.
        using var source = TinySources.Weights(Config, seed: 9);
        var ξ = new Architecture(Config.D, 2, Config.H, Config.I);
        var plan = ExtractionPlan.For(Measure(source), Config, ξ);
        using var extracted = Extractor.Extract(source, plan, seed: 5);

        var masked = source.Tensors.ToDictionary(p => p.Key, p => p.Value.clone());
        int d = Config.H / Config.A;
        foreach (var layer in plan.Layers)
        {
            var w = masked[$"encoder.layer.{layer.Layer}.attention.output.dense.weight"];
            foreach (int h in Enumerable.Range(0, Config.A).Except(layer.Heads.Select(k => k.Head)))
                w[TensorIndex.Ellipsis, TensorIndex.Slice(h * d, (h + 1) * d)] = 0;
        }
        using var reference = new SourceWeights(Config, masked, "masked");
        using var expected = SourceModels.Encoder(reference, CPU);
        using var actual = SourceModels.Encoder(extracted, CPU);
        var batch = TinySources.Batch(Config, 3, 10, seed: 4);

        Assert.True(TinySources.Hidden(expected, batch).allclose(TinySources.Hidden(actual, batch), rtol: 0, atol: 1e-5));
    }

    [Theory]
    [InlineData(4, 4, 32, 48, "D")]
    [InlineData(3, 8, 32, 48, "A")]
    [InlineData(3, 4, 64, 48, "H")]
    [InlineData(3, 4, 32, 64, "I")]
    public void A_shape_larger_than_the_source_on_any_axis_is_a_one_line_error_naming_the_axis(int D, int A, int H, int I, string axis)
    {
        var error = Assert.Throws<UserInputException>(() => ExtractionPlan.RequireWithin(new Architecture(D, A, H, I), Config));
        Assert.Contains($"on {axis} ", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void The_written_folder_reads_back_as_a_hugging_face_checkpoint_with_p_of_xi_parameters()
    {
        using var source = TinySources.Weights(Config, seed: 2, maskedLmHead: true);
        var ξ = new Architecture(2, 2, 16, 24);
        var plan = ExtractionPlan.For(Measure(source), Config, ξ);
        using var extracted = Extractor.Extract(source, plan);
        string vocabulary = Path.Combine(directory, "vocab.txt");
        File.WriteAllLines(vocabulary, Enumerable.Range(0, Config.V).Select(i => $"w{i}"));
        string folder = Path.Combine(directory, "student");

        ExtractedFolder.Write(extracted, plan, "tiny", vocabulary, folder);
        using var read = HuggingFaceImport.Read(folder);

        Assert.Equal(extracted.Config with { Dropout = 0 }, read.Config with { Dropout = 0 });
        Assert.True(read.HasMaskedLmHead);
        Assert.Equal(ParameterCount.Of(ξ, new FixedShape(Config.V, Config.S, Config.T, true)).Total,
            SourceWeights.EncoderNames(read.Config).Sum(n => read[n].numel()));
        Assert.All(extracted.Tensors, p => Assert.True(p.Value.allclose(read[p.Key], rtol: 0, atol: 0), p.Key));
        Assert.Equal(["config.json", "extraction.json", "model.safetensors", "vocab.txt"], Directory.GetFiles(folder).Select(Path.GetFileName).Order());
        Assert.Empty(Directory.GetDirectories(directory, "*.tmp"));
    }

    [Fact]
    public void A_folder_that_is_not_an_earlier_extraction_is_not_overwritten()
    {
        using var source = TinySources.Weights(Config);
        var plan = ExtractionPlan.For(Measure(source), Config, Shape(Config));
        string folder = Path.Combine(directory, "precious");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "notes.txt"), "mine");

        Assert.Throws<UserInputException>(() => ExtractedFolder.Write(source, plan, "tiny", Path.Combine(directory, "vocab.txt"), folder));
        Assert.Equal("mine", File.ReadAllText(Path.Combine(folder, "notes.txt")));
    }
}
