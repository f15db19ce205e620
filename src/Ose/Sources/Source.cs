using System.Text.Json;

namespace Ose;

/// <summary>
/// The source model being compressed: its architecture ξ and what every sub-architecture inherits from it.
/// Presets are Hugging Face <c>config.json</c> files embedded from <c>configs/sources/</c>, so a preset and a
/// user's own config are read by the same code.
/// </summary>
public sealed record Source(string Name, Architecture Architecture, FixedShape Shape, string DefaultSpace = Spaces.SearchSpace.DefaultName)
{
    private const string PresetPrefix = "Ose.configs.sources.";

    public static IReadOnlyList<string> PresetNames { get; } = typeof(Source).Assembly.GetManifestResourceNames()
        .Where(n => n.StartsWith(PresetPrefix, StringComparison.Ordinal))
        .Select(n => n[PresetPrefix.Length..^".json".Length])
        .Order(StringComparer.Ordinal)
        .ToArray();

    /// <summary>A preset name (<c>bert-large</c>) or a path to a Hugging Face <c>config.json</c>.</summary>
    public static Source Resolve(string nameOrPath)
    {
        if (PresetNames.Contains(nameOrPath))
        {
            using var stream = typeof(Source).Assembly.GetManifestResourceStream(PresetPrefix + nameOrPath + ".json")!;
            return FromConfigJson(nameOrPath, stream, $"preset {nameOrPath}");
        }
        if (File.Exists(nameOrPath))
        {
            using var stream = File.OpenRead(nameOrPath);
            return FromConfigJson(NameOfConfigFile(nameOrPath), stream, nameOrPath);
        }
        if (nameOrPath.EndsWith(".json", StringComparison.OrdinalIgnoreCase) || nameOrPath.Contains('/'))
            throw new UserInputException($"source config not found: {nameOrPath}");
        throw new UserInputException(
            $"unknown source '{nameOrPath}': use one of {string.Join(", ", PresetNames)} or a path to a config.json");
    }

    // A Hugging Face checkpoint folder holds `config.json`: the folder's name is the model's.
    private static string NameOfConfigFile(string path) =>
        Path.GetFileName(path) == "config.json"
            ? Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(path))) ?? path
            : Path.GetFileNameWithoutExtension(path);

    /// <summary>Reads the fields of a BERT or RoBERTa <c>config.json</c> that fix the parameter count.</summary>
    public static Source FromConfigJson(string name, Stream json, string origin)
    {
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = true });
            root = document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new UserInputException($"malformed config {origin}: {e.Message}");
        }
        if (root.ValueKind != JsonValueKind.Object)
            throw new UserInputException($"malformed config {origin}: expected a JSON object");

        string modelType = root.TryGetProperty("model_type", out var t) && t.ValueKind == JsonValueKind.String
            ? t.GetString()! : "bert";
        if (modelType is not ("bert" or "roberta" or "xlm-roberta" or "camembert"))
            throw new UserInputException($"config {origin}: model_type '{modelType}' is not a BERT-style encoder");

        int Required(string key) => ReadPositiveInt(root, key, origin)
            ?? throw new UserInputException($"config {origin}: missing \"{key}\"");

        var ξ = new Architecture(Required("num_hidden_layers"), Required("num_attention_heads"),
            Required("hidden_size"), Required("intermediate_size"));
        if (!ξ.IsValid)
            throw new UserInputException($"config {origin}: num_attention_heads {ξ.A} does not divide hidden_size {ξ.H}");
        // Hugging Face's BertConfig defaults type_vocab_size to 2 when a config omits it.
        int tokenTypes = ReadPositiveInt(root, "type_vocab_size", origin) ?? 2;
        bool pooler = !root.TryGetProperty("add_pooling_layer", out var p) || p.ValueKind != JsonValueKind.False;
        var shape = new FixedShape(Required("vocab_size"), Required("max_position_embeddings"), tokenTypes, pooler);
        // Not a Hugging Face key: a preset may name the space searched when --space is not given.
        string space = root.TryGetProperty("ose_space", out var s) && s.ValueKind == JsonValueKind.String
            ? s.GetString()! : Spaces.SearchSpace.DefaultName;
        return new Source(name, ξ, shape, space);
    }

    private static int? ReadPositiveInt(JsonElement root, string key, string origin)
    {
        if (!root.TryGetProperty(key, out var value)) return null;
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out int n) || n <= 0)
            throw new UserInputException($"config {origin}: \"{key}\" must be a positive integer, got {value.GetRawText()}");
        return n;
    }
}
