using Ose.Models.Text;
using Ose.Models;
using Ose.Tasks;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Ose.Training.FineTuning;

/// <summary>A fine-tuned slot tagger, restored to its best dev step, and its dev span score there.</summary>
public sealed record FineTunedTagger(BertForTokenClassification Model, BioTagSet Tags, SpanScore DevScore, int BestStep, int StepsTrained) : IDisposable
{
    public void Dispose() => Model.Dispose();
}

/// <summary>
/// Fine-tunes a BERT slot tagger: a linear layer on every token, every weight trained, cross-entropy on each word's
/// first piece (<see cref="AlignedWords"/>), AdamW with <see cref="HyperParameters"/>' schedule. As
/// <see cref="TextClassifierTrainer"/>: batches and dropout are functions of (seed, step), and the weights of the
/// step with the best dev span F1 are restored at the end.
/// </summary>
public sealed class SlotTaggerTrainer(WordPieceTokenizer tokenizer, Device device)
{
    /// <param name="encoder">The pretrained encoder's weights (bert.* without the prefix); null trains from scratch.</param>
    public FineTunedTagger Train(EncoderConfig config, IReadOnlyDictionary<string, Tensor>? encoder, BioTagSet tags,
        IReadOnlyList<SlotAnnotation> train, IReadOnlyList<SlotAnnotation> dev, HyperParameters θ, long seed,
        IProgress<FineTuningStep>? progress = null, CancellationToken cancellation = default)
    {
        θ.Validate();
        config.RequireFits(θ.MaxLength);
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
        IReadOnlyList<SlotAnnotation> dev, HyperParameters θ, long seed, IProgress<FineTuningStep>? progress, CancellationToken cancellation) =>
        BestDevFineTuning.Fit(model, train.Count, θ, seed, batch => Loss(model, tags, batch.Select(k => train[k]).ToArray(), θ.MaxLength),
            () => { var score = Score(model, tags, dev, θ.MaxLength); return (score, score.F1); }, progress, cancellation);

    private Tensor? Loss(BertForTokenClassification model, BioTagSet tags, SlotAnnotation[] batch, int maxLength)
    {
        var aligned = batch.Select(u => AlignedWords.Encode(tokenizer, u.Words, maxLength)).ToArray();
        var targets = aligned.Select((a, n) => a.Targets(tags.Encode(batch[n]))).ToArray();
        // A batch whose words were all cut off has nothing to learn from (and its mean loss would be 0/0).
        if (targets.All(t => t.All(x => x == AlignedWords.IgnoreIndex))) return null;
        var (ids, types, mask) = Inputs(aligned);
        long length = ids.shape[1];
        var flat = new long[batch.Length * length];
        Array.Fill(flat, AlignedWords.IgnoreIndex);
        for (int n = 0; n < batch.Length; n++) targets[n].CopyTo(flat, n * length);
        var logits = model.call(ids, types, mask);
        return F.cross_entropy(logits.view(-1, tags.Count), tensor(flat, device: device), ignore_index: AlignedWords.IgnoreIndex);
    }

    /// <summary>Span precision, recall and F1 of the model's tags against the gold spans.</summary>
    public SpanScore Score(BertForTokenClassification model, BioTagSet tags, IReadOnlyList<SlotAnnotation> gold, int maxLength) =>
        SpanScore.Of(Predict(model, tags, gold.Select(u => u.Words).ToArray(), maxLength), gold);

    /// <summary>The tagged spans of each utterance: each word takes the tag predicted at its first piece (O where it was cut off).</summary>
    public SlotAnnotation[] Predict(BertForTokenClassification model, BioTagSet tags, IReadOnlyList<IReadOnlyList<string>> utterances,
        int maxLength, int batchSize = 64) =>
        Tag(model, tags, utterances, maxLength, batchSize).Select(t => t.Spans).ToArray();

    /// <summary>
    /// <see cref="Predict"/> with how sure the tagger is of each utterance's tags: the least, over its words, of the
    /// probability of the tag chosen (a classifier's confidence, word by word); 0 when a word has no piece in the input
    /// (cut off, or none), whose O the tagger never chose.
    /// </summary>
    public (SlotAnnotation Spans, double Confidence)[] Tag(BertForTokenClassification model, BioTagSet tags,
        IReadOnlyList<IReadOnlyList<string>> utterances, int maxLength, int batchSize = 64)
    {
        model.to(device).eval();
        using var _ = no_grad();
        var result = new List<(SlotAnnotation, double)>(utterances.Count);
        for (int start = 0; start < utterances.Count; start += batchSize)
        {
            using var scope = NewDisposeScope();
            var words = utterances.Skip(start).Take(batchSize).ToArray();
            var aligned = words.Select(w => AlignedWords.Encode(tokenizer, w, maxLength)).ToArray();
            var (ids, types, mask) = Inputs(aligned);
            long length = ids.shape[1];
            var (probability, tag) = F.softmax(model.call(ids, types, mask), -1).max(-1);
            var predicted = tag.cpu().data<long>().ToArray();
            var probabilities = probability.cpu().data<float>().ToArray();
            for (int n = 0; n < words.Length; n++)
            {
                var first = aligned[n].FirstPieces;
                var spans = tags.Decode(words[n], first.Select(p => p < 0 ? 0 : (int)predicted[n * length + p]).ToArray());
                double confidence = first.Length == 0 || first.Any(p => p < 0) ? 0 : first.Min(p => (double)probabilities[n * length + p]);
                result.Add((spans, confidence));
            }
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
