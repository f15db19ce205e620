using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;

namespace Ose.Reliability.Tests;

/// <summary>
/// Two run folders hold the same results: the same files, byte for byte, except the fields that measure the machine or
/// the process rather than the inputs, each named here.
/// </summary>
internal static class OutputComparison
{
    /// <summary>
    /// JSON keys whose values are not results: wall-clock times and measured latencies (a study's "measurements", a
    /// search's "timings"), how many evaluations this process performed rather than an earlier one, and the checksum of
    /// report.md, whose latency and time tables are such measurements.
    /// </summary>
    public static readonly string[] TimingKeys = ["measurements", "timings", "evaluations_new", "evaluations_from_store", "report.md"];

    /// <summary>Sections of report.md that tabulate measurements.</summary>
    public static readonly string[] TimingSections = ["## CPU latency", "## Time"];

    /// <summary>Columns of the trial store that say when and how long, not what.</summary>
    private const string TrialColumns = "error_identity, d, a, h, i, error";

    public static void AssertSame(string expected, string actual)
    {
        var files = Files(expected);
        Assert.Equal(files, Files(actual));
        foreach (string file in files)
        {
            string a = Path.Combine(expected, file), b = Path.Combine(actual, file);
            string what = Path.GetExtension(file) switch
            {
                ".json" => "json",
                ".md" => "md",
                ".sqlite" => "sqlite",
                _ => "bytes",
            };
            switch (what)
            {
                case "json": Assert.True(Json(a) == Json(b), $"{file} differs: {string.Join("; ", Differences(a, b))}"); break;
                case "md": Assert.True(Markdown(a) == Markdown(b), $"{file} differs"); break;
                case "sqlite": Assert.Equal(Trials(a), Trials(b)); break;
                default: Assert.True(File.ReadAllBytes(a).AsSpan().SequenceEqual(File.ReadAllBytes(b)), $"{file} differs"); break;
            }
        }
    }

    /// <summary>Every file under a folder, relative; SQLite's write-ahead files belong to the store they sit beside.</summary>
    private static List<string> Files(string folder) =>
        Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(folder, f))
            .Where(f => !f.EndsWith("-wal", StringComparison.Ordinal) && !f.EndsWith("-shm", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal).ToList();

    private static string Json(string path)
    {
        var node = JsonNode.Parse(File.ReadAllText(path));
        Strip(node);
        return node?.ToJsonString() ?? "null";
    }

    /// <summary>The leaves that differ, as "path: then → now".</summary>
    private static IEnumerable<string> Differences(string expected, string actual)
    {
        var then = Leaves(expected);
        var now = Leaves(actual);
        return then.Keys.Union(now.Keys).Order(StringComparer.Ordinal)
            .Where(key => then.GetValueOrDefault(key) != now.GetValueOrDefault(key))
            .Select(key => $"{key}: {then.GetValueOrDefault(key)} → {now.GetValueOrDefault(key)}");
    }

    private static Dictionary<string, string> Leaves(string path)
    {
        var node = JsonNode.Parse(File.ReadAllText(path));
        Strip(node);
        var leaves = new Dictionary<string, string>();
        void Walk(JsonNode? n)
        {
            if (n is JsonObject o) foreach (var (_, value) in o) Walk(value);
            else if (n is JsonArray a) foreach (var value in a) Walk(value);
            else if (n is not null) leaves[n.GetPath()] = n.ToJsonString();
        }
        Walk(node);
        return leaves;
    }

    private static void Strip(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (string key in TimingKeys) o.Remove(key);
                foreach (var (_, value) in o) Strip(value);
                break;
            case JsonArray a:
                foreach (var value in a) Strip(value);
                break;
        }
    }

    private static string Markdown(string path)
    {
        var kept = new List<string>();
        bool skipping = false;
        foreach (string line in File.ReadLines(path))
        {
            if (line.StartsWith("## ", StringComparison.Ordinal)) skipping = TimingSections.Contains(line.Trim());
            if (!skipping) kept.Add(line);
        }
        return string.Join('\n', kept);
    }

    private static List<string> Trials(string path)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {TrialColumns} FROM trials ORDER BY {TrialColumns}";
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read()) rows.Add(string.Join(',', Enumerable.Range(0, reader.FieldCount).Select(k => reader.GetValue(k).ToString())));
        return rows;
    }
}
