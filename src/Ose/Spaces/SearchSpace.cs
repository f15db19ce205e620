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
        var file = StrictJson.Deserialize<SpaceFile>(new StreamReader(json).ReadToEnd(), SpaceJson, $"search space {origin}");

        int[] Values(int[]? values, string key)
        {
            if (values is null || values.Length == 0)
                throw new UserInputException($"search space {origin}: \"{key}\" must list at least one value");
            if (values.Any(v => v <= 0))
                throw new UserInputException($"search space {origin}: \"{key}\" values must be positive");
            return values.Distinct().Order().ToArray();
        }

        var space = new SearchSpace(file.name ?? Path.GetFileNameWithoutExtension(origin),
            Values(file.D, "D"), Values(file.A, "A"), Values(file.H, "H"), Values(file.I, "I"));
        if (space.Candidates.Count == 0)
            throw new UserInputException($"search space {origin}: no value of A divides any value of H, so the space is empty");
        return space;
    }

    private static readonly JsonSerializerOptions SpaceJson = new();

    // Field names match the JSON keys.
    private sealed record SpaceFile(string? name, string? description, int[]? D, int[]? A, int[]? H, int[]? I);
}
