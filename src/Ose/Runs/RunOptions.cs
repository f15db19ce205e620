using System.Text.Json;
using Ose.IO;

namespace Ose.Runs;

/// <summary>
/// The options that shape a run's results, as the command line named them (<c>--lr</c> → <c>0.001</c>), recorded in its
/// folder (<c>options.json</c>) when the run starts. Resuming with other options would mix two settings in one result,
/// so a run that finds a record that differs is refused, naming the difference.
/// </summary>
public sealed record RunOptions(string Command, IReadOnlyList<KeyValuePair<string, string>> Values)
{
    public const string FileName = "options.json";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public void Write(string folder) => CrashSafe.WriteText(Path.Combine(folder, FileName),
        JsonSerializer.Serialize(new Stored(Command, Values.ToDictionary(p => p.Key, p => p.Value)), Json));

    /// <summary>The record of a folder, or null where it has none.</summary>
    public static RunOptions? Read(string folder)
    {
        string path = Path.Combine(folder, FileName);
        if (!File.Exists(path)) return null;
        var stored = StrictJson.Deserialize<Stored>(File.ReadAllText(path), Json, path);
        return new RunOptions(stored.Command, [.. stored.Options]);
    }

    /// <summary>How this run's options differ from <paramref name="recorded"/>, in words; null when they agree.</summary>
    public string? DifferenceFrom(RunOptions recorded)
    {
        if (recorded.Command != Command) return $"it holds an `ose {recorded.Command}` run, not `ose {Command}`";
        var then = recorded.Values.ToDictionary(p => p.Key, p => p.Value);
        var now = Values.ToDictionary(p => p.Key, p => p.Value);
        var differences = now.Keys.Union(then.Keys)
            .Where(key => then.GetValueOrDefault(key) != now.GetValueOrDefault(key))
            .Select(key => $"{key} {then.GetValueOrDefault(key) ?? "not given"} then, {now.GetValueOrDefault(key) ?? "not given"} now")
            .ToList();
        return differences.Count == 0 ? null : $"it was run with other options ({string.Join("; ", differences)})";
    }

    private sealed record Stored(string Command, Dictionary<string, string> Options);
}
