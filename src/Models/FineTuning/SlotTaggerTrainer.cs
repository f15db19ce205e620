using TorchSharp;
using Ose.Models.Text;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Ose.Models.FineTuning;

/// <summary>A fine-tuned slot tagger, restored to its best dev step, and its dev span score there.</summary>
public sealed record FineTunedTagger(BertForTokenClassification Model, BioTagSet Tags, SpanScore DevScore, int BestStep, int StepsTrained) : IDisposable
{
    public void Dispose() => Model.Dispose();
}

/// <summary>
/// Fine-tunes a BERT slot tagger: a linear layer on every token, every weight trained, cross-entropy on each word's
/// first piece (<see cref="AlignedWords"/>), AdamW with <see cref="FineTuningOptions"/>' schedule. As
/// <see cref="TextClassifierTrainer"/>: batches and dropout are functions of (seed, step), and the weights of the
/// step with the best dev span F1 are restored at the end.
/// </summary>
public sealed class SlotTaggerTrainer(WordPieceTokenizer tokenizer, Device device)
{
    private const long StepSeedStride = 1_000_003;

    /// <param name="encoder">The pretrained encoder's weights (bert.* without the prefix); null trains from scratch.</param>
    public FineTunedTagger Train(EncoderConfig config, IReadOnlyDictionary<string, Tensor>? encoder, BioTagSet tags,
        IReadOnlyList<SlotAnnotation> train, IReadOnlyList<SlotAnnotation> dev, FineTuningOptions θ, long seed,
        IProgress<FineTuningStep>? progress = null, CancellationToken cancellation = default)
    {
        θ.Validate();
        if (train.Count == 0) throw new UserInputException("nothing to fine-tune on: the training split is empty");
        manual_seed(seed);
        var model = new BertForTokenClassification(config, tags.Count, device);
        try
        {
            if (encoder is not null) model.Bert.load_state_dict(new Dictionary<string, Tensor>(encoder), strict: true);
            var (score, bestStep) = Fit(model, tags, train, dev, θ, seed, progress, cancellation);
            return new FineTunedTagger(model, tags, score, bestStep, θ.Steps);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    private (SpanScore Score, int Step) Fit(BertForTokenClassification model, BioTagSet tags, IReadOnlyList<SlotAnnotation> train,
        IReadOnlyList<SlotAnnotation> dev, FineTuningOptions θ, long seed, IProgress<FineTuningStep>? progress, CancellationToken cancellation)
    {
        using var optimizer = optim.AdamW(model.parameters(), θ.LearningRate, weight_decay: θ.WeightDecay);
        var order = new EpochOrder(train.Count, seed);
        SpanScore? best = null;
        int bestStep = 0;
        Dictionary<string, Tensor>? bestWeights = null;
        try
        {
            for (int step = 0; step < θ.Steps; step++)
            {
                cancellation.ThrowIfCancellationRequested();
                foreach (var group in optimizer.ParamGroups) group.LearningRate = θ.LearningRateAt(step);
                var batch = Enumerable.Range(0, θ.BatchSize).Select(b => train[order[(long)step * θ.BatchSize + b]]).ToArray();
                double loss = TrainStep(model, optimizer, tags, batch, θ, seed * StepSeedStride + step);
                if (!double.IsFinite(loss))
                    throw new UserInputException($"the fine-tuning loss became {loss} at step {step + 1}; lower the learning rate");

                double? f1 = null;
                if ((step + 1) % θ.EvaluateEvery == 0 || step + 1 == θ.Steps)
                {
                    var score = Score(model, tags, dev, θ.MaxLength);
                    f1 = score.F1;
                    if (best is null || score.F1 > best.F1)
                    {
                        (best, bestStep) = (score, step + 1);
                        DisposeAll(bestWeights);
                        bestWeights = model.state_dict().ToDictionary(p => p.Key, p => p.Value.detach().clone());
                    }
                }
                progress?.Report(new FineTuningStep(step + 1, θ.Steps, loss, f1));
            }
            model.load_state_dict(bestWeights!);
            return (best!, bestStep);
        }
        finally
        {
            DisposeAll(bestWeights);
        }
    }

    private static void DisposeAll(Dictionary<string, Tensor>? weights)
    {
        if (weights is null) return;
        foreach (var tensor in weights.Values) tensor.Dispose();
    }

    private double TrainStep(BertForTokenClassification model, optim.Optimizer optimizer, BioTagSet tags, SlotAnnotation[] batch,
        FineTuningOptions θ, long stepSeed)
    {
        using var scope = NewDisposeScope();
        model.train();
        manual_seed(stepSeed);
        var aligned = batch.Select(u => AlignedWords.Encode(tokenizer, u.Words, θ.MaxLength)).ToArray();
        var targets = aligned.Select((a, n) => a.Targets(tags.Encode(batch[n]))).ToArray();
        // A batch whose words were all cut off has nothing to learn from (and its mean loss would be 0/0).
        if (targets.All(t => t.All(x => x == AlignedWords.IgnoreIndex))) return 0;
        var (ids, types, mask) = Inputs(aligned);
        long length = ids.shape[1];
        var flat = new long[batch.Length * length];
        Array.Fill(flat, AlignedWords.IgnoreIndex);
        for (int n = 0; n < batch.Length; n++) targets[n].CopyTo(flat, n * length);
        optimizer.zero_grad();
        var logits = model.call(ids, types, mask);
        var loss = F.cross_entropy(logits.view(-1, tags.Count), tensor(flat, device: device), ignore_index: AlignedWords.IgnoreIndex);
        loss.backward();
        nn.utils.clip_grad_norm_(model.parameters(), 1.0);
        optimizer.step();
        return loss.item<float>();
    }

    /// <summary>Span precision, recall and F1 of the model's tags against the gold spans.</summary>
    public SpanScore Score(BertForTokenClassification model, BioTagSet tags, IReadOnlyList<SlotAnnotation> gold, int maxLength) =>
        SpanScore.Of(Predict(model, tags, gold.Select(u => u.Words).ToArray(), maxLength), gold);

    /// <summary>The tagged spans of each utterance: each word takes the tag predicted at its first piece (O where it was cut off).</summary>
    public SlotAnnotation[] Predict(BertForTokenClassification model, BioTagSet tags, IReadOnlyList<IReadOnlyList<string>> utterances,
        int maxLength, int batchSize = 64)
    {
        model.to(device).eval();
        using var _ = no_grad();
        var result = new List<SlotAnnotation>(utterances.Count);
        for (int start = 0; start < utterances.Count; start += batchSize)
        {
            using var scope = NewDisposeScope();
            var words = utterances.Skip(start).Take(batchSize).ToArray();
            var aligned = words.Select(w => AlignedWords.Encode(tokenizer, w, maxLength)).ToArray();
            var (ids, types, mask) = Inputs(aligned);
            long length = ids.shape[1];
            var predicted = model.call(ids, types, mask).argmax(-1).cpu().data<long>().ToArray();
            for (int n = 0; n < words.Length; n++)
                result.Add(tags.Decode(words[n], aligned[n].FirstPieces.Select(p => p < 0 ? 0 : (int)predicted[n * length + p]).ToArray()));
        }
        return [.. result];
    }

    /// <summary>Ids, token types (all 0) and attention mask, right-padded to the longest in the batch.</summary>
    private (Tensor Ids, Tensor Types, Tensor Mask) Inputs(AlignedWords[] batch)
    {
        int length = batch.Max(a => a.Ids.Length);
        var ids = new long[batch.Length * length];
        var mask = new long[ids.Length];
        Array.Fill(ids, tokenizer.Special.Pad);
        for (int n = 0; n < batch.Length; n++)
            for (int k = 0; k < batch[n].Ids.Length; k++)
            {
                ids[n * length + k] = batch[n].Ids[k];
                mask[n * length + k] = 1;
            }
        long[] shape = [batch.Length, length];
        return (tensor(ids, shape, device: device), zeros(shape, ScalarType.Int64, device: device), tensor(mask, shape, device: device));
    }
}
