using Ose.Tasks;
using Ose.Training.FineTuning;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;
using F = TorchSharp.torch.nn.functional;

namespace Ose.Agora.Vectors;

/// <summary>A small multilayer perceptron (ReLU hidden layers) on vectors, trained with AdamW on cross-entropy.</summary>
public sealed class MlpStudent(Sequential network, double devScore, int steps) : IStudent, ILabeller<float[], int>
{
    public Sequential Network { get; } = network;
    public double DevScore { get; } = devScore;
    public int StepsTrained { get; } = steps;

    public (int Label, double Confidence)[] Label(IReadOnlyList<float[]> points)
    {
        if (points.Count == 0) return [];
        Network.eval();
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var (confidence, label) = F.softmax(Network.call(MlpTrainer.Stack(points)), 1).max(1);
        var labels = label.data<long>().ToArray();
        var confidences = confidence.data<float>().ToArray();
        return labels.Select((l, k) => ((int)l, (double)confidences[k])).ToArray();
    }

    public void Dispose() => Network.Dispose();
}

/// <summary>
/// Trains <see cref="MlpStudent"/>s of the given layer widths from a fixed initialisation seed, so every round of
/// Agora starts its students from the same weights. Accuracy is the metric.
/// </summary>
public sealed class MlpTrainer(int[] widths, int classes, long initialisationSeed) : IStudentTrainer<float[], int>
{
    public IStudent Train(IReadOnlyList<LabelledPoint<float[], int>> train, IReadOnlyList<LabelledPoint<float[], int>> dev, HyperParameters θ, long seed,
        CancellationToken cancellation)
    {
        θ.Validate();
        manual_seed(initialisationSeed);
        var network = Build();
        try
        {
            using var x = Stack(train.Select(p => p.Point).ToArray());
            using var y = tensor(train.Select(p => (long)p.Label).ToArray());
            var devPoints = dev.Select(p => p.Point).ToArray();
            var devGold = dev.Select(p => p.Label).ToArray();
            var (best, _) = BestDevFineTuning.Fit(network, train.Count, θ, seed,
                batch =>
                {
                    var rows = tensor(batch.Select(k => (long)k).ToArray());
                    return F.cross_entropy(network.call(x.index_select(0, rows)), y.index_select(0, rows));
                },
                () =>
                {
                    double score = Score(new MlpStudent(network, 0, 0).Label(devPoints).Select(l => l.Label).ToArray(), devGold);
                    return (score, score);
                }, progress: null, cancellation);
            return new MlpStudent(network, best, θ.Steps);
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }

    public int[] Predict(IStudent student, IReadOnlyList<float[]> points) =>
        ((MlpStudent)student).Label(points).Select(l => l.Label).ToArray();

    public double Score(IReadOnlyList<int> predicted, IReadOnlyList<int> gold) => TaskMetrics.Accuracy(predicted, gold);

    private Sequential Build()
    {
        var layers = new List<(string, Module<Tensor, Tensor>)>();
        for (int i = 0; i + 1 < widths.Length; i++)
        {
            layers.Add(($"linear{i}", Linear(widths[i], widths[i + 1])));
            layers.Add(($"relu{i}", ReLU()));
        }
        layers.Add(("output", Linear(widths[^1], classes)));
        return Sequential(layers);
    }

    internal static Tensor Stack(IReadOnlyList<float[]> points) =>
        tensor(points.SelectMany(p => p).ToArray(), [points.Count, points[0].Length]);
}
