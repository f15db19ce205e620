using Ose.Models.Sources;
using Ose.Tasks.Data;
using Ose.Testing;

namespace Ose.Training.Tests;

/// <summary>
/// A tiny random source written as a PyTorch-style ONNX file, with a vocabulary of w0…w54 beside it and in a data
/// folder whose corpus holds the sentences given.
/// </summary>
static class TinyOnnxSourceOnDisk
{
    public static (SourceWeights Weights, WeightedSource Source, DataDirectory Data) Write(string directory, Func<Random, string> sentence, int trainSentences)
    {
        var weights = TinySources.Weights(TinySources.Config() with { V = 60 }, seed: 6);
        string model = Path.Combine(directory, "source", "model.onnx");
        Directory.CreateDirectory(Path.GetDirectoryName(model)!);
        PyTorchStyleOnnx.Save(PyTorchStyleOnnx.Build(weights), model);
        var data = new DataDirectory(Path.Combine(directory, "data"));
        Directory.CreateDirectory(Path.Combine(data.Root, "corpus"));
        Tiny.WriteVocabulary(data.Vocabulary, Enumerable.Range(0, 55).Select(i => $"w{i}"));
        File.Copy(data.Vocabulary, Path.Combine(directory, "source", "vocab.txt"));
        var random = new Random(1);
        string Sentences(int n) => string.Concat(Enumerable.Range(0, n).Select(_ => sentence(random) + "\n"));
        File.WriteAllText(data.CorpusTrain, Sentences(trainSentences));
        File.WriteAllText(data.CorpusDev, Sentences(40));
        return (weights, WeightedSource.Resolve(model, data), data);
    }
}
