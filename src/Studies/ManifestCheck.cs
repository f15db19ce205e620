using System.Text.Json;

namespace Ose.Studies;

/// <summary>Compares a study's figures with those of an earlier run's manifest: the check that a study reproduces.</summary>
public static class ManifestCheck
{
    /// <returns>One entry per figure that differs, or is in one run and not the other; empty when they reproduce.</returns>
    public static IReadOnlyList<string> Differences(IReadOnlyDictionary<string, string> figures, string manifestPath)
    {
        if (!File.Exists(manifestPath)) throw new UserInputException($"manifest not found: {manifestPath}");
        Dictionary<string, string> expected;
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(manifestPath));
            expected = document.RootElement.GetProperty("figures").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? "");
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new UserInputException($"{manifestPath} is not a study manifest with figures: {e.Message}");
        }
        return expected.Keys.Union(figures.Keys).Order(StringComparer.Ordinal)
            .Select(key => (key, had: expected.GetValueOrDefault(key), has: figures.GetValueOrDefault(key)))
            .Where(f => f.had != f.has)
            .Select(f => $"{f.key} ({f.had ?? "absent"} then, {f.has ?? "absent"} now)")
            .ToArray();
    }
}
