using Ose.Models;
using Ose.Tasks.Data;
using Ose.Models.Sources;
using Ose.Training.Sources;
using Ose.Training;
using Xunit;
using static TorchSharp.torch;

namespace Ose.Training.Tests.Sources;

public sealed class MaskedLmHeadTrainingTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("ose-head-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void A_head_trained_over_a_frozen_onnx_source_lowers_the_held_out_loss_is_saved_beside_it_and_leaves_the_source_alone()
    {
        // A corpus with structure a head can learn: each word is followed by the next one.
        var (source, weighted, data) = TinyOnnxSourceOnDisk.Write(directory, random =>
        {
            int start = random.Next(0, 45);
            return string.Join(' ', Enumerable.Range(start, 8).Select(i => $"w{i}"));
        }, trainSentences: 300);
        using var _ = source;

        var outcome = MaskedLmHeadTraining.Train(weighted, data,
            new HyperParameters(LearningRate: 3e-3, Steps: 60, BatchSize: 8, MaxLength: 16), seed: 0, Path.Combine(directory, "work"),
            MaskedLmHeadTraining.HeadPath(weighted));

        Assert.True(outcome.DevLossAfter < outcome.DevLossBefore - 0.5, $"{outcome.DevLossBefore} → {outcome.DevLossAfter}");
        Assert.Equal(Path.Combine(directory, "source", MaskedLmHeadTraining.HeadFile), outcome.HeadFile);
        using var withHead = MaskedLmHeadTraining.ReadWithHead(weighted);
        Assert.True(withHead.HasMaskedLmHead);
        Assert.All(source.Tensors, p => Assert.True(p.Value.allclose(withHead[p.Key], rtol: 0, atol: 0), p.Key));
        using var masked = SourceModels.MaskedLm(withHead, CPU);
    }

    [Fact]
    public void Without_a_trained_head_the_error_says_how_to_train_one()
    {
        using var source = TinySources.Weights(TinySources.Config());
        string model = Path.Combine(directory, "model.onnx");
        PyTorchStyleOnnx.Save(PyTorchStyleOnnx.Build(source), model);
        var error = Assert.Throws<UserInputException>(() => MaskedLmHeadTraining.ReadWithHead(WeightedSource.Resolve(model, new DataDirectory(directory))));
        Assert.Contains("ose train-head", error.Message);
    }
}
