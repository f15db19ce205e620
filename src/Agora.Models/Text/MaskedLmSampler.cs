using Ose.Models;
using TorchSharp;
using Ose.Models.Text;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Ose.Agora.Text;

/// <summary>
/// Agora's text sampler: masks a fraction of the words of a seed sentence (never a protected one) and fills every
/// masked word piece with a token drawn from a masked language model, so new points stay close to the seed in the
/// model's representation space. Word-initial pieces are drawn among word-initial tokens and continuations among
/// "##" tokens, so words stay words; special and [unused] tokens are never drawn. Only the first sentence of a
/// pair is resampled.
/// </summary>
public sealed class MaskedLmSampler : INeighbourSampler<TextInput>
{
    private readonly BertForMaskedLM model;
    private readonly WordPieceTokenizer tokenizer;
    private readonly Device device;
    private readonly Tensor initialBan, continuationBan;
    private readonly Func<string, WordView> view;

    /// <param name="fraction">Share of the (unprotected) words resampled in each new point; at least one word.</param>
    public MaskedLmSampler(BertForMaskedLM model, WordPieceTokenizer tokenizer, string vocabularyPath, double fraction, Device device,
        Func<string, WordView>? view = null, int maxLength = 64)
    {
        if (fraction is <= 0 or > 1) throw new UserInputException($"the resampled fraction must lie in (0, 1], got {fraction}");
        this.model = model;
        this.tokenizer = tokenizer;
        this.device = device;
        this.view = view ?? WordView.Plain;
        Fraction = fraction;
        MaxLength = maxLength;
        var vocabulary = File.ReadAllLines(vocabularyPath);
        if (vocabulary.Length != model.Bert.Config.V)
            throw new UserInputException($"{vocabularyPath} has {vocabulary.Length} words but the masked LM was built for {model.Bert.Config.V}");
        bool Special(string t) => t.StartsWith('[') && t.EndsWith(']');
        bool Continuation(string t) => t.StartsWith("##", StringComparison.Ordinal);
        // Additive logit masks: 0 where a token may be drawn, -inf where not.
        initialBan = Ban(vocabulary.Select(t => Special(t) || Continuation(t)));
        continuationBan = Ban(vocabulary.Select(t => !Continuation(t)));
    }

    public double Fraction { get; }
    public int MaxLength { get; }

    private Tensor Ban(IEnumerable<bool> banned) =>
        tensor(banned.Select(b => b ? float.NegativeInfinity : 0f).ToArray(), device: device);

    public IReadOnlyList<TextInput> Sample(TextInput seedPoint, int count, long seed)
    {
        var words = view(seedPoint.Text);
        var pieces = words.Words.Select(tokenizer.Encode).ToArray();
        // Words whose pieces fit in the window after [CLS] and before [SEP].
        int room = MaxLength - 2, inWindow = 0;
        for (int used = 0; inWindow < pieces.Length && used + pieces[inWindow].Length <= room; inWindow++) used += pieces[inWindow].Length;
        var candidates = Enumerable.Range(0, inWindow).Where(w => !words.Protected[w] && pieces[w].Length > 0).ToArray();
        if (candidates.Length == 0) return [];
        int resampled = Math.Max(1, (int)Math.Round(Fraction * candidates.Length));

        var random = new Random(unchecked((int)(seed ^ (seed >> 32))));
        var chosen = Enumerable.Range(0, count).Select(_ =>
        {
            var order = (int[])candidates.Clone();
            random.Shuffle(order);
            return order.Take(resampled).ToHashSet();
        }).ToArray();
        int length = 2 + pieces.Take(inWindow).Sum(p => p.Length);
        var ids = new long[count * length];
        var masked = new bool[ids.Length];
        var initial = new List<bool>();
        for (int n = 0; n < count; n++)
        {
            int k = n * length;
            ids[k++] = tokenizer.Special.Cls;
            for (int w = 0; w < inWindow; w++)
                for (int p = 0; p < pieces[w].Length; p++, k++)
                {
                    ids[k] = pieces[w][p];
                    if (chosen[n].Contains(w))
                    {
                        masked[k] = true;
                        initial.Add(p == 0);
                        ids[k] = tokenizer.Special.Mask;
                    }
                }
            ids[k] = tokenizer.Special.Sep;
        }

        var drawn = Draw(ids, masked, initial, count, length, seed);
        var points = new List<TextInput>(count);
        for (int n = 0, d = 0; n < count; n++)
        {
            var changed = (string[])words.Words.Clone();
            for (int w = 0; w < inWindow; w++)
            {
                if (!chosen[n].Contains(w)) continue;
                changed[w] = tokenizer.Decode(drawn.Skip(d).Take(pieces[w].Length).Select(i => (int)i));
                d += pieces[w].Length;
            }
            var point = seedPoint with { Text = words.Rebuild(changed) };
            if (point != seedPoint && !points.Contains(point)) points.Add(point);
        }
        return points;
    }

    /// <summary>One forward pass over all new points; a token drawn from the model at each masked position.</summary>
    private long[] Draw(long[] ids, bool[] masked, List<bool> initial, int count, int length, long seed)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        model.to(device).eval();
        long[] shape = [count, length];
        var input = tensor(ids, shape, device: device);
        var positions = tensor(masked, shape, device: device);
        var logits = model.call(input, zeros_like(input), ones_like(input), positions);
        var ban = stack(initial.Select(i => i ? initialBan : continuationBan).ToArray());
        var probabilities = F.softmax(logits + ban, 1);
        var generator = new Generator((ulong)seed, device);
        return multinomial(probabilities, 1, generator: generator).squeeze(1).cpu().data<long>().ToArray();
    }
}
