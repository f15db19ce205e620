using System.CommandLine;

namespace Ose.Cli;

/// <summary>The options several commands take, declared once so they mean the same everywhere.</summary>
static class CommonOptions
{
    public static readonly Option<long> Seed = new("--seed") { Description = "seed of every random draw", DefaultValueFactory = _ => 0 };

    public static readonly Option<string> Device = new("--device") { Description = "where models train: cpu (default) or cuda", DefaultValueFactory = _ => "cpu" };

    public static readonly Option<string?> Data = new("--data") { Description = "data directory (default: $OSE_DATA, else ~/.cache/ose)" };

    /// <summary>The folder a command writes to; running the command again on it resumes.</summary>
    public static Option<string> Out(string defaultFolder) => new("--out")
    {
        Description = $"output folder; running again resumes (default {defaultFolder})",
        DefaultValueFactory = _ => defaultFolder,
    };
}
