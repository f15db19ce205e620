using Ose.Tasks.Data;
using Ose.Training.Distil;
using Ose.Models.Sources;
using Xunit;

namespace Ose.Training.Tests.Distil;

public sealed class ErrorComparisonTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("ose-compare-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void Monotonicity_counts_dominating_pairs_and_those_where_the_larger_does_worse()
    {
        var small = new Architecture(1, 2, 16, 32);
        var wide = new Architecture(1, 2, 32, 32);
        var deep = new Architecture(2, 2, 16, 32);
        var other = new Architecture(1, 4, 16, 16);   // more heads, smaller I: comparable with none
        var errors = new[] { (small, 0.5), (wide, 0.4), (deep, 0.6), (other, 0.1) };

        var (violations, pairs) = ErrorComparison.Monotonicity(errors);

        Assert.Equal(2, pairs);        // small ≤ wide, small ≤ deep
        Assert.Equal(1, violations);   // deep does worse than small
    }

    [Fact]
    public void A_comparison_scores_every_candidate_three_ways_and_resumes_from_its_results()
    {
        var data = TinyData.Write(directory);
        var source = TinyData.OnnxSource(directory, data, seed: 2);
        Architecture[] candidates = [new(1, 2, 16, 24), new(2, 2, 16, 24)];

        var first = new ErrorComparison(source, data, epsilon: 0.9, Path.Combine(directory, "run")).Run(candidates);
        var again = new ErrorComparison(source, data, epsilon: 0.9, Path.Combine(directory, "run")).Run(candidates);

        Assert.Equal(2, first.Count);
        Assert.All(first, c => Assert.True(c.Distilled > 0 && c.Scratch > 0 && c.Reference > 0 && c.ScratchSteps >= 1));
        Assert.All(first, c => Assert.True(c.Reference < c.Distilled, $"{c.ξ}: 10× longer {c.Reference} ≥ {c.Distilled}"));
        Assert.Equal(first, again);
        var figures = ErrorComparison.Figures(first);
        Assert.Equal(3, figures.Count);
        Assert.All(figures, f => Assert.Equal(1, f.Pairs));
    }
}

/// <summary>A prepared data directory and an ONNX source over it, small enough to train on in seconds.</summary>
static class TinyData
{
    public static DataDirectory Write(string directory)
    {
        var data = new DataDirectory(Path.Combine(directory, "data"));
        Directory.CreateDirectory(Path.Combine(data.Root, "corpus"));
        Tiny.WriteVocabulary(data.Vocabulary, Enumerable.Range(0, 55).Select(i => $"w{i}"));
        var random = new Random(1);
        string Sentences(int n) => string.Concat(Enumerable.Range(0, n).Select(_ =>
        {
            int start = random.Next(0, 45);
            return string.Join(' ', Enumerable.Range(start, random.Next(4, 10)).Select(i => $"w{i}")) + "\n";
        }));
        File.WriteAllText(data.CorpusTrain, Sentences(400));
        File.WriteAllText(data.CorpusDev, Sentences(60));
        return data;
    }

    public static WeightedSource OnnxSource(string directory, DataDirectory data, int seed)
    {
        using var weights = TinySources.Weights(TinySources.Config() with { S = 64 }, seed);
        string folder = Path.Combine(directory, "source");
        Directory.CreateDirectory(folder);
        PyTorchStyleOnnx.Save(PyTorchStyleOnnx.Build(weights), Path.Combine(folder, "model.onnx"));
        File.Copy(data.Vocabulary, Path.Combine(folder, "vocab.txt"), overwrite: true);
        return WeightedSource.Resolve(Path.Combine(folder, "model.onnx"), data);
    }
}
