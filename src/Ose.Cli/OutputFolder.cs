using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography;
using Ose.Runs;

namespace Ose.Cli;

/// <summary>
/// The run folder a command writes to, claimed for the run (<see cref="RunFolder"/>): one process at a time, litter of a
/// killed run settled, the options that shape its results recorded and compared, and never one of the run's inputs.
/// </summary>
static class OutputFolder
{
    public static readonly Option<bool> ForceRestart = new("--force-restart")
    {
        Description = "discard what --out holds (a run made with other options, or an unfinished one) and start again",
    };

    /// <summary>The folder of the run in progress, for the line an interrupt prints.</summary>
    public static string? Current { get; private set; }

    /// <param name="inputs">What the run reads: --out may be none of them, nor hold one.</param>
    public static RunFolder Claim(ParseResult parse, string path, RunOptions? options, params (string Option, string? Path)[] inputs)
    {
        RunFolder.RefuseInputs(path, inputs);
        var claim = RunFolder.Claim(path, options, parse.GetValue(ForceRestart));
        Current = path;
        return claim;
    }
}

/// <summary>The options that shape a run's results, by name, as <see cref="RunOptions"/> records them.</summary>
sealed class Shaping(ParseResult parse)
{
    private readonly List<KeyValuePair<string, string>> values = [];

    public Shaping Add<T>(Option<T> option)
    {
        values.Add(new(option.Name, Format(parse.GetValue(option))));
        return this;
    }

    public Shaping Add(string name, string value)
    {
        values.Add(new(name, value));
        return this;
    }

    /// <summary>An option naming a file that is read whole (Θ, a space, an error table): recorded by content, so an edit in place counts.</summary>
    public Shaping AddFile<T>(Option<T> option) where T : class? => AddFile(option.Name, parse.GetValue(option) as string);

    private Shaping AddFile(string name, string? path) =>
        Add(name, path is not null && File.Exists(path) ? $"sha256:{Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)))[..16]}" : path ?? "none");

    public RunOptions For(string command) => new(command, values);

    private static string Format<T>(T value) => value switch
    {
        null => "none",
        double x => x.ToString("R", CultureInfo.InvariantCulture),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "none",
    };
}
