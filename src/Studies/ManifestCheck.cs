using Ose.IO;
using System.Text.Json;

namespace Ose.Studies;

/// <summary>
/// Compares a study's manifest with an earlier run's: every figure, and the checksum of every plot. The check that a
/// study reproduces. Measurements and the report (which prints them) are left out: they vary with the machine's load.
/// </summary>
public static class ManifestCheck
{
    /// <returns>One entry per figure or plot that differs, or is in one run and not the other; empty when they reproduce.</returns>
    public static IReadOnlyList<string> Differences(string manifestPath, string expectedManifestPath)
    {
        var now = Reproducible(manifestPath);
        var then = Reproducible(expectedManifestPath);
        return then.Keys.Union(now.Keys).Order(StringComparer.Ordinal)
            .Select(key => (key, had: then.GetValueOrDefault(key), has: now.GetValueOrDefault(key)))
            .Where(f => f.had != f.has)
            .Select(f => $"{f.key} ({f.had ?? "absent"} then, {f.has ?? "absent"} now)")
            .ToArray();
    }

    /// <summary>Fails now, in one line, if <paramref name="manifestPath"/> is not a study manifest a finished run can be checked against.</summary>
    public static void RequireManifest(string manifestPath) => Reproducible(manifestPath);

    /// <summary>The figures, and the plots under figures/ by checksum.</summary>
    private static Dictionary<string, string> Reproducible(string manifestPath)
    {
        if (!File.Exists(manifestPath)) throw new UserInputException($"manifest not found: {manifestPath}");
        try
        {
            using var document = StrictJson.Parse(File.ReadAllText(manifestPath), manifestPath);
            var root = document.RootElement;
            var plots = root.GetProperty("files").EnumerateObject()
                .Where(p => p.Name.StartsWith("figures/", StringComparison.Ordinal))
                .Select(p => (Key: $"{p.Name} sha256", Value: p.Value.GetString()![..12]));
            return root.GetProperty("figures").EnumerateObject()
                .Select(p => (Key: p.Name, Value: p.Value.GetString() ?? ""))
                .Concat(plots)
                .ToDictionary(p => p.Key, p => p.Value);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new UserInputException($"{manifestPath} is not a study manifest with figures and files: {e.Message}");
        }
    }
}
