using Ose.Models.Text;
using Ose.Models;
using Ose.Tasks;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Ose.Training.FineTuning;

/// <summary>A fine-tuned classifier, restored to its best dev step, and what it scored there.</summary>
public sealed record FineTuned(BertForSequenceClassification Model, double DevScore, int BestStep, int StepsTrained) : IDisposable
{
    public void Dispose() => Model.Dispose();
}

/// <summary>One step's report while fine-tuning.</summary>
public sealed record FineTuningStep(int Step, int Steps, double Loss, double? DevScore);

/// <summary>
/// Fine-tunes a BERT sentence (pair) classifier: a linear layer on the first token, every weight trained, cross-entropy,
/// AdamW. Batches and dropout are functions of (seed, step), so the same seed gives the same run on CPU. The weights of
/// the best dev step are kept in memory and restored at the end.
/// </summary>
public sealed class TextClassifierTrainer(WordPieceTokenizer tokenizer, Device device)
{
    /// <param name="encoder">The pretrained encoder's weights (bert.* without the prefix); null trains from scratch.</param>
    public FineTuned Train(EncoderConfig config, IReadOnlyDictionary<string, Tensor>? encoder, int classes,
        IReadOnlyList<TextExample> train, IReadOnlyList<TextExample> dev, TaskMetric metric, HyperParameters θ, long seed,
        IProgress<FineTuningStep>? progress = null, CancellationToken cancellation = default)
    {
        θ.Validate();
        if (train.Count == 0) throw new UserInputException("nothing to fine-tune on: the training split is empty");
        manual_seed(seed);
        var model = new BertForSequenceClassification(config, classes, device);
        try
        {
            if (encoder is not null) model.Bert.load_state_dict(new Dictionary<string, Tensor>(encoder), strict: true);
            var (score, bestStep) = Fit(model, train, dev, metric, classes, θ, seed, progress, cancellation);
            return new FineTuned(model, score, bestStep, θ.Steps);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    private (double Score, int Step) Fit(BertForSequenceClassification model, IReadOnlyList<TextExample> train,
        IReadOnlyList<TextExample> dev, TaskMetric metric, int classes, HyperParameters θ, long seed,
        IProgress<FineTuningStep>? progress, CancellationToken cancellation) =>
        BestDevFineTuning.Fit(model, train.Count, θ, seed, batch => Loss(model, batch.Select(k => train[k]).ToArray(), θ.MaxLength),
            () => { double score = Score(model, dev, metric, classes, θ.MaxLength); return (score, score); }, progress, cancellation);

    private Tensor Loss(BertForSequenceClassification model, TextExample[] batch, int maxLength)
    {
        var (ids, types, mask) = Encode(batch, maxLength);
        var labels = tensor(batch.Select(e => (long)e.Label).ToArray(), device: device);
        return F.cross_entropy(model.call(ids, types, mask), labels);
    }

    public double Score(BertForSequenceClassification model, IReadOnlyList<TextExample> examples, TaskMetric metric, int classes, int maxLength)
    {
        var predicted = Predict(model, examples, maxLength).Select(p => p.Label).ToArray();
        return TaskMetrics.Score(metric, predicted, examples.Select(e => e.Label).ToArray(), classes);
    }

    /// <summary>The predicted label of each example and the probability the model gives it.</summary>
    public (int Label, double Confidence)[] Predict(BertForSequenceClassification model, IReadOnlyList<TextExample> examples, int maxLength, int batchSize = 64)
    {
        model.to(device).eval();
        using var _ = no_grad();
        var result = new List<(int, double)>(examples.Count);
        for (int start = 0; start < examples.Count; start += batchSize)
        {
            using var scope = NewDisposeScope();
            var (ids, types, mask) = Encode(examples.Skip(start).Take(batchSize).ToArray(), maxLength);
            var probabilities = F.softmax(model.call(ids, types, mask), 1);
            var (confidence, label) = probabilities.max(1);
            var labels = label.cpu().data<long>().ToArray();
            var confidences = confidence.cpu().data<float>().ToArray();
            for (int k = 0; k < labels.Length; k++) result.Add(((int)labels[k], confidences[k]));
        }
        return [.. result];
    }

    /// <summary>[CLS] text [SEP] (pair [SEP]), right-padded to the longest in the batch.</summary>
    private (Tensor Ids, Tensor Types, Tensor Mask) Encode(IReadOnlyList<TextExample> batch, int maxLength)
    {
        var encoded = batch.Select(e => tokenizer.EncodeForClassification(e.Text, e.Pair, maxLength)).ToArray();
        int length = encoded.Max(e => e.Ids.Length);
        var ids = new long[batch.Count * length];
        var types = new long[ids.Length];
        var mask = new long[ids.Length];
        Array.Fill(ids, tokenizer.Special.Pad);
        for (int n = 0; n < encoded.Length; n++)
            for (int k = 0; k < encoded[n].Ids.Length; k++)
            {
                ids[n * length + k] = encoded[n].Ids[k];
                types[n * length + k] = encoded[n].TokenTypes[k];
                mask[n * length + k] = 1;
            }
        long[] shape = [batch.Count, length];
        return (tensor(ids, shape, device: device), tensor(types, shape, device: device), tensor(mask, shape, device: device));
    }
}
