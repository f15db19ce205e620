using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Ose.IO;

/// <summary>
/// How every JSON file here is read. A key given twice is an error: System.Text.Json keeps the last one by default, so
/// <c>{"source": "bert-mini", "source": "bert-large"}</c> would silently run bert-large. Comments and trailing commas,
/// which people write in configs, are allowed. Errors are said in the file's terms (a key, a line, a column), never in
/// the .NET type names System.Text.Json puts in its messages.
/// </summary>
public static partial class StrictJson
{
    public static JsonDocumentOptions DocumentOptions { get; } = new()
    {
        AllowDuplicateProperties = false,
        AllowTrailingCommas = true,
        CommentHandling = JsonCommentHandling.Skip,
    };

    private static readonly ConditionalWeakTable<JsonSerializerOptions, JsonSerializerOptions> StrictCopies = [];

    /// <summary>Reads a <typeparamref name="T"/>; a malformed text is a <see cref="UserInputException"/> "malformed {origin}: ...".</summary>
    public static T Deserialize<T>(string json, JsonSerializerOptions options, string origin)
    {
        var strict = StrictCopies.GetValue(options, o => new JsonSerializerOptions(o)
        {
            AllowDuplicateProperties = false,
            AllowTrailingCommas = true,
            ReadCommentHandling = JsonCommentHandling.Skip,
        });
        try
        {
            return JsonSerializer.Deserialize<T>(json, strict) ?? throw new UserInputException($"malformed {origin}: it holds null");
        }
        catch (JsonException e)
        {
            throw new UserInputException($"malformed {origin}: {Describe(e)}");
        }
    }

    /// <summary>A document, for readers that pick a few keys; the caller disposes it.</summary>
    public static JsonDocument Parse(string json, string origin)
    {
        try
        {
            return JsonDocument.Parse(json, DocumentOptions);
        }
        catch (JsonException e)
        {
            throw new UserInputException($"malformed {origin}: {Describe(e)}");
        }
    }

    public static JsonDocument Parse(Stream json, string origin)
    {
        try
        {
            return JsonDocument.Parse(json, DocumentOptions);
        }
        catch (JsonException e)
        {
            throw new UserInputException($"malformed {origin}: {Describe(e)}");
        }
    }

    public static JsonNode ParseNode(string json, string origin)
    {
        try
        {
            return JsonNode.Parse(json, documentOptions: DocumentOptions) ?? throw new UserInputException($"malformed {origin}: it holds null");
        }
        catch (JsonException e)
        {
            throw new UserInputException($"malformed {origin}: {Describe(e)}");
        }
    }

    /// <summary>What is wrong, where: the key (as a JSON path without the leading <c>$.</c>), line and column.</summary>
    public static string Describe(JsonException e)
    {
        string key = e.Path is null or "$" ? "" : e.Path.StartsWith("$.", StringComparison.Ordinal) ? e.Path[2..] : e.Path.TrimStart('$');
        string what = e.Message switch
        {
            var m when Duplicate().Match(m) is { Success: true } d => $"the key \"{Join(key, d.Groups[1].Value, parentOf: true)}\" appears twice",
            var m when Unmapped().Match(m) is { Success: true } u => $"unknown key \"{Join(key, u.Groups[1].Value, parentOf: true)}\"",
            var m when Missing().Match(m) is { Success: true } r => $"missing key \"{Join(key, r.Groups[1].Value, parentOf: false)}\"",
            var m when m.Contains("doesn't allow null values", StringComparison.Ordinal) => $"\"{key}\" must not be null",
            var m when m.Contains("could not be converted to", StringComparison.Ordinal) =>
                key.Length == 0 ? "expected a JSON object" : $"\"{key}\" holds a value of the wrong kind",
            var m when m.Contains("System.", StringComparison.Ordinal) || m.Contains("Ose.", StringComparison.Ordinal) =>
                key.Length == 0 ? "not valid here" : $"\"{key}\" is not valid here",
            var m => ReaderMessage().Match(m).Groups[1].Value.TrimEnd('.'),
        };
        return e.LineNumber is { } line && e.BytePositionInLine is { } column
            ? $"{what} (line {line + 1}, column {column + 1})"
            : what;
    }

    // System.Text.Json reports a duplicate or unknown key with the path of the object or of the key itself, depending on
    // the reader; join them so the full key is said once.
    private static string Join(string path, string name, bool parentOf)
    {
        if (path.Length == 0) return name;
        if (parentOf && (path == name || path.EndsWith("." + name, StringComparison.Ordinal))) return path;
        return $"{path}.{name}";
    }

    [GeneratedRegex(@"^Duplicate property '([^']*)'")]
    private static partial Regex Duplicate();

    [GeneratedRegex(@"^The JSON property '([^']*)' could not be mapped")]
    private static partial Regex Unmapped();

    [GeneratedRegex(@"missing required properties including: '([^']*)'")]
    private static partial Regex Missing();

    /// <summary>The reader's own messages ("'N' is an invalid start of a value.") name no type; drop the location suffix.</summary>
    [GeneratedRegex(@"^(.*?)(?: Path: .*| LineNumber: .*)?$", RegexOptions.Singleline)]
    private static partial Regex ReaderMessage();
}
