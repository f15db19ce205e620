using System.CommandLine;
using System.Text.Json;
using Ose.Runs;
using Ose.Storage.Postgres;
using Ose.Store;

namespace Ose.Cli;

/// <summary>
/// Where a distributed search's trials live (DESIGN §4), named by URL: <c>sqlite:PATH</c> (one machine; the default is
/// the run folder's <c>trials.sqlite</c>) or <c>postgresql://user@host/db</c> (many machines). The options of
/// <c>ose search</c>, <c>ose worker</c> and <c>ose status</c> that name it are declared here once.
/// </summary>
static class Storage
{
    public static readonly Option<string?> Url = new("--storage")
    {
        Description = "trial store of a search run by workers: sqlite:PATH (one machine) or postgresql://user[:password]@host[:port]/db (many)",
    };

    public static readonly Option<string> Study = new("--study")
    {
        Description = "name of the search in the trial store (several searches may share one database)",
        DefaultValueFactory = _ => "default",
    };

    public const string SqlitePrefix = "sqlite:";

    /// <summary>Opens the store of a URL; a URL of no known kind, a file that cannot be opened or a server that does not answer is one line.</summary>
    /// <param name="create">Whether a missing SQLite file may be created (a search), or must exist (a worker, a status).</param>
    public static TrialQueue Open(string url, bool create = false)
    {
        if (url.StartsWith("postgresql://", StringComparison.Ordinal) || url.StartsWith("postgres://", StringComparison.Ordinal))
            return PostgresTrialQueue.Open(url);
        if (url.StartsWith(SqlitePrefix, StringComparison.Ordinal))
        {
            string path = url[SqlitePrefix.Length..];
            if (path.StartsWith("//", StringComparison.Ordinal)) path = path[2..];
            if (path.Length == 0) throw new UserInputException("--storage sqlite: names no file: write sqlite:PATH");
            if (Path.GetDirectoryName(Path.GetFullPath(path)) is { } folder && !Directory.Exists(folder))
                throw new UserInputException($"--storage {url}: folder {folder} does not exist");
            if (!create && !File.Exists(path)) throw new UserInputException($"--storage {url}: no such file (a search creates it)");
            return SqliteTrialQueue.Open(path);
        }
        throw new UserInputException($"--storage {PostgresTrialQueue.Redacted(url)}: write sqlite:PATH or postgresql://user@host/database");
    }

    /// <summary>The study's record of its search, opened by name; a study of that name that is another search is refused.</summary>
    public static Study OpenStudy(TrialQueue queue, string name, StudyRequest request)
    {
        string json = request.ToJson();
        var study = queue.OpenStudy(name, json);
        if (study.Request != json)
            throw new UserInputException($"study '{name}' in {queue.Description} holds another search ({StudyRequest.Difference(study.Request, json)}): name another --study");
        return study;
    }

    /// <summary>The study of that name, which must exist.</summary>
    public static Study FindStudy(TrialQueue queue, string name) =>
        queue.FindStudy(name) ?? throw new UserInputException($"no study '{name}' in {queue.Description}: start it with `ose search … --study {name}`");
}

/// <summary>
/// What a worker needs to build the error of a study's search, stored with the study: the search's request (paths made
/// absolute, so a worker started elsewhere reads the same files) and the training's data folder and device.
/// </summary>
sealed record StudyRequest(SearchRequest Search, string? Data, string Device)
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = false };

    /// <summary>The request as the study records it: absolute paths, and no budget or cap (they stop a search, they do not shape it).</summary>
    public static StudyRequest For(SearchRequest search, string? data, string device) => new(search with
    {
        Source = Absolute(search.Source),
        Space = search.Space is null ? null : Absolute(search.Space),
        Errors = search.Errors is null ? null : Absolute(search.Errors),
        OutputDirectory = Path.GetFullPath(search.OutputDirectory),
        Budget = null,
        MaxEvaluations = null,
    }, data is null ? null : Path.GetFullPath(data), device);

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static StudyRequest Parse(string json, string study) =>
        JsonSerializer.Deserialize<StudyRequest>(json, Json) ?? throw new UserInputException($"study '{study}' holds no search request");

    /// <summary>How two recorded requests differ, by field, in words.</summary>
    public static string Difference(string then, string now)
    {
        var a = JsonDocument.Parse(then).RootElement.GetProperty(nameof(Search));
        var b = JsonDocument.Parse(now).RootElement.GetProperty(nameof(Search));
        var fields = a.EnumerateObject().Where(p => !b.TryGetProperty(p.Name, out var v) || v.ToString() != p.Value.ToString())
            .Select(p => $"{p.Name} {p.Value} then, {(b.TryGetProperty(p.Name, out var v) ? v.ToString() : "none")} now").ToList();
        return fields.Count > 0 ? string.Join("; ", fields) : "other data folder or device";
    }

    private static string Absolute(string path) => File.Exists(path) ? Path.GetFullPath(path) : path;
}
