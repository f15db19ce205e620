using System.Text.Json;
using Ose.IO;

namespace Ose.Spaces;

/// <summary>
/// A search space Ξ: the product of allowed values of D, A, H and I, keeping the combinations where A divides H.
/// Spaces are data: JSON files under <c>configs/spaces/</c>, embedded so the default needs no file.
/// </summary>
public sealed record SearchSpace(string Name, IReadOnlyList<int> D, IReadOnlyList<int> A, IReadOnlyList<int> H, IReadOnlyList<int> I)
{
    private const string PresetPrefix = "Ose.configs.spaces.";

    public const string DefaultName = "bort";

    /// <summary>A range longer than this is a typo, not a space.</summary>
    private const int MaxValuesPerAxis = 100_000;

    public IReadOnlyList<Architecture> Candidates { get; } =
        (from d in D from a in A from h in H from i in I
         let ξ = new Architecture(d, a, h, i) where ξ.IsValid select ξ).Distinct().ToArray();

    public static SearchSpace Resolve(string? nameOrPath)
    {
        string name = nameOrPath ?? DefaultName;
        var embedded = typeof(SearchSpace).Assembly.GetManifestResourceStream(PresetPrefix + name + ".json");
        if (embedded is not null)
        {
            using (embedded) return Parse(embedded, $"space {name}");
        }
        if (!File.Exists(name))
            throw new UserInputException($"search space not found: {name}");
        using var stream = File.OpenRead(name);
        return Parse(stream, name);
    }

    public static SearchSpace Parse(Stream json, string origin)
    {
        JsonElement root;
        using (var document = StrictJson.Parse(json, $"search space {origin}"))
            root = document.RootElement.Clone();
        if (root.ValueKind != JsonValueKind.Object) throw new UserInputException($"malformed search space {origin}: expected a JSON object");

        int[] Values(string key)
        {
            if (!root.TryGetProperty(key, out var axis))
                throw new UserInputException($"search space {origin}: \"{key}\" must list at least one value");
            var values = axis.ValueKind switch
            {
                JsonValueKind.Array => axis.EnumerateArray().Select(v => Integer(v, key)).ToArray(),
                JsonValueKind.Object => Range(axis, key),
                _ => throw new UserInputException($"search space {origin}: \"{key}\" must be a list of values or {{\"from\", \"to\", \"step\"}}"),
            };
            if (values.Length == 0)
                throw new UserInputException($"search space {origin}: \"{key}\" must list at least one value");
            if (values.Any(v => v <= 0))
                throw new UserInputException($"search space {origin}: \"{key}\" values must be positive");
            return values.Distinct().Order().ToArray();
        }

        // A range as whittle and Optuna users write one: from, to (inclusive) and step (default 1).
        int[] Range(JsonElement range, string key)
        {
            int Field(string name, int? fallback) => range.TryGetProperty(name, out var v) ? Integer(v, $"{key}.{name}")
                : fallback ?? throw new UserInputException($"search space {origin}: range \"{key}\" needs \"{name}\"");
            int from = Field("from", null), to = Field("to", null), step = Field("step", 1);
            if (step <= 0 || to < from)
                throw new UserInputException($"search space {origin}: range \"{key}\" needs from ≤ to and a positive step");
            long count = (to - (long)from) / step + 1;
            if (count > MaxValuesPerAxis)
                throw new UserInputException($"search space {origin}: range \"{key}\" has {count:N0} values, more than {MaxValuesPerAxis:N0}");
            return Enumerable.Range(0, (int)count).Select(n => from + n * step).ToArray();
        }

        int Integer(JsonElement value, string key) => value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out int n)
            ? n : throw new UserInputException($"search space {origin}: \"{key}\" holds {value.GetRawText()}, not an integer");

        string name = root.TryGetProperty("name", out var named) && named.ValueKind == JsonValueKind.String
            ? named.GetString()! : Path.GetFileNameWithoutExtension(origin);
        var space = new SearchSpace(name, Values("D"), Values("A"), Values("H"), Values("I"));
        if (space.Candidates.Count == 0)
            throw new UserInputException($"search space {origin}: no value of A divides any value of H, so the space is empty");
        return space;
    }
}
