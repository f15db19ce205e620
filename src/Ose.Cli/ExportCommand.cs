using System.CommandLine;
using Ose.Models.Checkpoints;
using Ose.Models.Data;

namespace Ose.Cli;

/// <summary><c>ose export</c>: a run's student in Hugging Face layout, for use outside the toolkit.</summary>
public static class ExportCommand
{
    public static Command Create()
    {
        var run = new Option<string>("--run")
        {
            Description = "an `ose search` run directory (its chosen, trained architecture) or an `ose pretrain`/`ose finetune` output",
            Required = true,
        };
        var output = new Option<string>("--out") { Description = "folder to write config.json, model.safetensors and vocab.txt to", Required = true };
        var command = new Command("export", "write a run's student in Hugging Face layout (config.json, model.safetensors, vocab.txt)")
        {
            run, output, DataCommand.DataOption,
        };
        command.SetAction(parse =>
        {
            string vocabulary = DataDirectory.Resolve(parse.GetValue(DataCommand.DataOption)).Vocabulary;
            string what = StudentExport.Export(parse.GetValue(run)!, vocabulary, parse.GetValue(output)!);
            Console.WriteLine($"wrote {what} to {Path.GetFullPath(parse.GetValue(output)!)}");
            return 0;
        });
        return command;
    }
}
