using static TorchSharp.torch;

namespace Ose.Models.Sources;

/// <summary>
/// A source model's weights under Hugging Face BERT names, float32 on the CPU: BertModel's (<c>embeddings.*</c>,
/// <c>encoder.layer.N.*</c>, <c>pooler.*</c>) and, when the source has a masked-LM head, <c>cls.predictions.*</c>
/// (transform and bias; the decoder is tied to the word embeddings). Whatever format they were read from, the toolkit
/// sees them only this way.
/// </summary>
public sealed class SourceWeights : IDisposable
{
    /// <summary>The tensors of BertModel, by name.</summary>
    public static IReadOnlyList<string> EncoderNames(EncoderConfig c)
    {
        var names = new List<string>
        {
            "embeddings.word_embeddings.weight", "embeddings.position_embeddings.weight", "embeddings.token_type_embeddings.weight",
            "embeddings.LayerNorm.weight", "embeddings.LayerNorm.bias",
        };
        for (int l = 0; l < c.D; l++)
            names.AddRange(LayerNames.Select(n => $"encoder.layer.{l}.{n}"));
        if (c.Pooler) names.AddRange(["pooler.dense.weight", "pooler.dense.bias"]);
        return names;
    }

    /// <summary>The 16 tensors of one encoder block, relative to <c>encoder.layer.N.</c>.</summary>
    public static IReadOnlyList<string> LayerNames { get; } =
    [
        "attention.self.query.weight", "attention.self.query.bias", "attention.self.key.weight", "attention.self.key.bias",
        "attention.self.value.weight", "attention.self.value.bias",
        "attention.output.dense.weight", "attention.output.dense.bias", "attention.output.LayerNorm.weight", "attention.output.LayerNorm.bias",
        "intermediate.dense.weight", "intermediate.dense.bias",
        "output.dense.weight", "output.dense.bias", "output.LayerNorm.weight", "output.LayerNorm.bias",
    ];

    /// <summary>The masked-LM head's own tensors (HF BertOnlyMLMHead without the tied decoder weight).</summary>
    public static IReadOnlyList<string> MaskedLmHeadNames { get; } =
    [
        "cls.predictions.transform.dense.weight", "cls.predictions.transform.dense.bias",
        "cls.predictions.transform.LayerNorm.weight", "cls.predictions.transform.LayerNorm.bias", "cls.predictions.bias",
    ];

    private readonly Dictionary<string, Tensor> tensors;

    /// <param name="tensors">
    /// Taken over (disposed with this object, or here when the constructor throws). Hugging Face's aliases are accepted:
    /// <c>cls.predictions.decoder.bias</c> for the head's bias, a decoder weight equal to the word embeddings (tied), and
    /// the next-sentence head <c>cls.seq_relationship.*</c>, which is dropped.
    /// </param>
    public SourceWeights(EncoderConfig config, IReadOnlyDictionary<string, Tensor> tensors, string origin)
    {
        Config = config;
        this.tensors = new Dictionary<string, Tensor>(tensors);
        try
        {
            NormaliseHeadNames(origin);
            HasMaskedLmHead = MaskedLmHeadNames.Any(this.tensors.ContainsKey);
            var expected = EncoderNames(config).Concat(HasMaskedLmHead ? MaskedLmHeadNames : []).ToArray();
            foreach (string name in expected)
            {
                if (!this.tensors.TryGetValue(name, out var t))
                    throw new UserInputException($"{origin}: no tensor '{name}', which a {config.D}-layer BERT encoder{(HasMaskedLmHead ? " with a masked-LM head" : "")} needs");
                long[] shape = ExpectedShape(name, config);
                if (!t.shape.SequenceEqual(shape))
                    throw new UserInputException($"{origin}: '{name}' has shape [{string.Join(',', t.shape)}], not [{string.Join(',', shape)}]");
            }
            if (this.tensors.Keys.Except(expected).FirstOrDefault() is { } extra)
                throw new UserInputException($"{origin}: tensor '{extra}' has no place in a {config.D}-layer BERT encoder: not a model we can map");
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    private void NormaliseHeadNames(string origin)
    {
        foreach (string name in tensors.Keys.Where(k => k.StartsWith("cls.seq_relationship.", StringComparison.Ordinal)).ToArray())
            Remove(name);
        if (tensors.Remove("cls.predictions.decoder.bias", out var decoderBias))
        {
            if (tensors.ContainsKey("cls.predictions.bias")) decoderBias.Dispose();
            else tensors["cls.predictions.bias"] = decoderBias;
        }
        foreach (string decoder in new[] { "cls.predictions.decoder.weight", "cls.predictions.weight" })
        {
            if (!tensors.TryGetValue(decoder, out var weight)) continue;
            var word = tensors["embeddings.word_embeddings.weight"];
            if (!weight.shape.SequenceEqual(word.shape) || !weight.eq(word).all().item<bool>())
                throw new UserInputException($"{origin}: the masked-LM decoder is not tied to the word embeddings; only BERT's tied decoder is mapped");
            Remove(decoder);
        }
    }

    private void Remove(string name)
    {
        tensors[name].Dispose();
        tensors.Remove(name);
    }

    /// <summary>D, A, H, I, V, S, T, pooler; dropout as the source was trained (0.1 for BERT).</summary>
    public EncoderConfig Config { get; }

    public bool HasMaskedLmHead { get; }

    public IReadOnlyDictionary<string, Tensor> Tensors => tensors;

    public Tensor this[string name] => tensors[name];

    /// <summary>The shape HF BERT gives a tensor: Linear weights are [out, in].</summary>
    public static long[] ExpectedShape(string name, EncoderConfig c)
    {
        long h = c.H, i = c.I;
        return name switch
        {
            "embeddings.word_embeddings.weight" => [c.V, h],
            "embeddings.position_embeddings.weight" => [c.S, h],
            "embeddings.token_type_embeddings.weight" => [c.T, h],
            "cls.predictions.bias" => [c.V],
            _ when name.EndsWith("intermediate.dense.weight", StringComparison.Ordinal) => [i, h],
            _ when name.EndsWith("intermediate.dense.bias", StringComparison.Ordinal) => [i],
            _ when name.EndsWith("output.dense.weight", StringComparison.Ordinal) && !name.Contains("attention") => [h, i],
            _ when name.EndsWith(".weight", StringComparison.Ordinal) && !name.Contains("LayerNorm") => [h, h],
            _ => [h],
        };
    }

    public void Dispose()
    {
        foreach (var t in tensors.Values) t.Dispose();
        tensors.Clear();
    }
}
