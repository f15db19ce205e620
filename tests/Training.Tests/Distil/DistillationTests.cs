using Ose.Models;
using Ose.Models.Text;
using Ose.Training.Distil;
using Ose.Models.Extraction;
using Ose.Models.Sources;
using Ose.Training;
using Xunit;
using static TorchSharp.torch;

namespace Ose.Training.Tests.Distil;

public sealed class DistillationTests : IDisposable
{
    private static readonly EncoderConfig Config = TinySources.Config();   // ⟨3, 4, 32, 48⟩, V 60
    private static readonly SpecialTokens Tokens = new(Pad: 0, Cls: 1, Sep: 2, Mask: 3, VocabularySize: Config.V);
    private readonly string directory = Directory.CreateTempSubdirectory("ose-distil-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private static IReadOnlyList<long[]> Corpus(int seed, int sentences = 60)
    {
        var random = new Random(seed);
        return PackedCorpus.Pack(Enumerable.Range(0, sentences).Select(_ => Enumerable.Range(0, random.Next(3, 9))
            .Select(_ => random.Next(5, Config.V)).ToArray()), 16, Tokens);
    }

    private static HyperParameters Θ(int steps) => new(LearningRate: 3e-3, Steps: steps, BatchSize: 4, MaxLength: 16, WarmupShare: 0);

    private const long Seed = 1;

    private static (SourceWeights Extracted, ExtractionPlan Plan) Extract(SourceWeights source, Architecture ξ)
    {
        var plan = ExtractionPlan.For(Importance.Measure(source, TinySources.Calibration(Config, 8), pad: 0), source.Config, ξ);
        return (Extractor.Extract(source, plan, seed: 2), plan);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void The_source_s_own_shape_scores_zero_before_any_step(bool maskedLmHead)
    {
        using var source = TinySources.Weights(Config, seed: 1, maskedLmHead);
        using var teacher = new TeacherOutputs(source, CPU);
        var (extracted, plan) = Extract(source, new Architecture(Config.D, Config.A, Config.H, Config.I));
        using var _ = extracted;
        using var student = new DistillationStudent(extracted, plan, Config.H, CPU);

        var score = new Distiller(student, teacher, Tokens, Θ(1), Seed, CPU).Evaluate(Corpus(2));

        Assert.Equal(0, score.UnexplainedVariance, 1e-10);
        Assert.Equal(maskedLmHead, score.MaskedLmDivergence is not null);
        Assert.Equal(0, score.MaskedLmDivergence ?? 0, 1e-6);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Distilling_a_smaller_student_lowers_its_held_out_error(bool maskedLmHead)
    {
        using var source = TinySources.Weights(Config, seed: 3, maskedLmHead);
        using var teacher = new TeacherOutputs(source, CPU);
        var (extracted, plan) = Extract(source, new Architecture(1, 2, 16, 24));
        using var _ = extracted;
        using var student = new DistillationStudent(extracted, plan, Config.H, CPU);
        var distiller = new Distiller(student, teacher, Tokens, Θ(40), Seed, CPU);
        var dev = Corpus(5);

        var before = distiller.Evaluate(dev);
        distiller.Train(Corpus(4), checkpoint: null);
        var after = distiller.Evaluate(dev);

        Assert.True(after.Error < before.Error, $"{before} → {after}");
        Assert.True(after.UnexplainedVariance > 0);
        Assert.Equal(maskedLmHead, after.MaskedLmDivergence is not null);
    }

    [Fact]
    public void A_run_killed_between_checkpoints_resumes_on_the_uninterrupted_curve()
    {
        using var source = TinySources.Weights(Config, seed: 4);
        using var teacher = new TeacherOutputs(source, CPU);
        var (extracted, plan) = Extract(source, new Architecture(2, 2, 16, 24));
        using var _ = extracted;
        var corpus = Corpus(6);
        IReadOnlyList<double> Run(string folder, IProgress<TrainingStep>? progress = null, CancellationToken cancellation = default)
        {
            manual_seed(0);
            using var student = new DistillationStudent(extracted, plan, Config.H, CPU);
            return new Distiller(student, teacher, Tokens, Θ(12), Seed, CPU)
                .Train(corpus, new TrainingCheckpoint(Path.Combine(directory, folder)), checkpointEvery: 5, progress, cancellation);
        }

        var uninterrupted = Run("whole");
        using var stop = new CancellationTokenSource();
        Assert.Throws<OperationCanceledException>(() =>
            Run("killed", new SynchronousProgress(step => { if (step.Step == 7) stop.Cancel(); }), stop.Token));
        var resumed = Run("killed");

        Assert.Equal(uninterrupted, resumed);
    }

    [Fact]
    public void The_distilled_error_is_positive_repeats_for_the_same_seed_and_falls_with_capacity()
    {
        using var source = TinySources.Weights(Config, seed: 5);
        using var teacher = new TeacherOutputs(source, CPU);
        var importance = Importance.Measure(source, TinySources.Calibration(Config, 8), pad: 0);
        DistilledError Error(string work) => new(source, importance, teacher, Tokens, Corpus(7), Corpus(8),
            [Θ(30)], CPU, Path.Combine(directory, work), "toy");

        double small = Error("a").Evaluate(new Architecture(1, 2, 8, 12));
        double again = Error("b").Evaluate(new Architecture(1, 2, 8, 12));
        double large = Error("a").Evaluate(new Architecture(3, 4, 32, 24));

        Assert.True(small > 0);
        Assert.Equal(small, again);
        Assert.True(large < small, $"{large} ≥ {small}");
    }

    [Fact]
    public void A_space_with_a_candidate_larger_than_the_source_or_the_source_itself_is_a_one_line_error()
    {
        var source = new Architecture(6, 12, 384, 1536);
        var larger = Assert.Throws<UserInputException>(() => DistilledErrorSetup.RequireWithin([new(2, 4, 128, 512), new(6, 16, 384, 512)], source));
        Assert.Contains("larger than the source", larger.Message);
        var itself = Assert.Throws<UserInputException>(() => DistilledErrorSetup.RequireWithin([new(2, 4, 128, 512), source], source));
        Assert.Contains("own shape", itself.Message);
        DistilledErrorSetup.RequireWithin([new(6, 12, 384, 1152), new(1, 4, 128, 384)], source);
    }

    /// <summary>Reports on the training thread, so a cancellation lands exactly after the step that asked for it.</summary>
    private sealed class SynchronousProgress(Action<TrainingStep> report) : IProgress<TrainingStep>
    {
        public void Report(TrainingStep value) => report(value);
    }
}
