using Ose.Models;
using Ose.Models.Sources;
using Ose.Tasks.Data;
using Ose.Training.Distil;
using Ose.Training.FineTuning;
using Xunit;
using static TorchSharp.torch;

namespace Ose.Training.Tests.Distil;

/// <summary><c>ose pretrain --init extract</c>: a student cut out of a tiny ONNX source, distilled, written, and fine-tunable.</summary>
public sealed class DistillationRunTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("ose-distil-run-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private (WeightedSource Source, DataDirectory Data) TinyOnnxSource()
    {
        var (weights, source, data) = TinyOnnxSourceOnDisk.Write(directory, random =>
            string.Join(' ', Enumerable.Range(0, random.Next(4, 10)).Select(_ => $"w{random.Next(55)}")), trainSentences: 200);
        weights.Dispose();
        return (source, data);
    }

    private static readonly HyperParameters Θ = new(LearningRate: 3e-3, Steps: 12, BatchSize: 4, MaxLength: 16, WarmupShare: 0);

    [Fact]
    public void The_held_out_error_is_measured_at_every_checkpoint_falls_and_the_student_is_written_as_a_model_to_fine_tune()
    {
        var (source, data) = TinyOnnxSource();
        string run = Path.Combine(directory, "run");

        var outcome = DistillationRun.Execute(source, new Architecture(1, 2, 16, 24), data, Θ, seed: 0, evaluateEvery: 5, CPU, run);

        Assert.Equal([0, 5, 10, 12], outcome.Curve.Select(p => p.Step));
        Assert.True(outcome.Curve[^1].Score.Error < outcome.Curve[0].Score.Error,
            $"held-out error {outcome.Curve[0].Score.Error} → {outcome.Curve[^1].Score.Error}");
        Assert.Equal(5, File.ReadAllLines(Path.Combine(run, DistillationRun.CurveFile)).Length);

        using var student = PretrainedModel.Load(run, data, CPU);
        Assert.Equal((1, 2, 16, 24), (student.Encoder.Config.D, student.Encoder.Config.A, student.Encoder.Config.H, student.Encoder.Config.I));
        Assert.Null(student.MaskedLm);
        var error = Assert.Throws<UserInputException>(() => student.RequireMaskedLm());
        Assert.Contains("ose train-head", error.Message);
    }

    [Fact]
    public void A_run_stopped_after_its_first_checkpoint_resumes_to_the_uninterrupted_curve_and_weights()
    {
        var (source, data) = TinyOnnxSource();
        var ξ = new Architecture(1, 2, 16, 24);
        var straight = DistillationRun.Execute(source, ξ, data, Θ, seed: 0, evaluateEvery: 5, CPU, Path.Combine(directory, "straight"));

        string resumed = Path.Combine(directory, "resumed");
        using (var cancellation = new CancellationTokenSource())
        {
            var stopAfterFirstCheckpoint = new Callback(step => { if (step.Step == 6) cancellation.Cancel(); });
            Assert.ThrowsAny<OperationCanceledException>(() =>
                DistillationRun.Execute(source, ξ, data, Θ, seed: 0, evaluateEvery: 5, CPU, resumed, stopAfterFirstCheckpoint, cancellation.Token));
        }
        var again = DistillationRun.Execute(source, ξ, data, Θ, seed: 0, evaluateEvery: 5, CPU, resumed);

        Assert.Equal(straight.Curve, again.Curve);
        using var a = PretrainedModel.Load(Path.Combine(directory, "straight"), data, CPU);
        using var b = PretrainedModel.Load(resumed, data, CPU);
        foreach (var (name, tensor) in a.Encoder.state_dict())
            Assert.True(tensor.allclose(b.Encoder.state_dict()[name], rtol: 0, atol: 0), name);
    }

    [Fact]
    public void A_source_given_by_name_is_fine_tunable_and_carries_no_masked_lm_until_a_head_is_trained()
    {
        var (source, data) = TinyOnnxSource();

        using var model = PretrainedModel.Load(source.Location, data, CPU);

        Assert.Null(model.MaskedLm);
        Assert.Equal(PretrainedModel.FineTuningDropout, model.Encoder.Config.Dropout);
        Assert.Equal(3, model.Encoder.Config.D);
    }

    /// <summary>Runs on the reporting thread, as the step happens.</summary>
    private sealed class Callback(Action<TrainingStep> report) : IProgress<TrainingStep>
    {
        public void Report(TrainingStep value) => report(value);
    }
}
