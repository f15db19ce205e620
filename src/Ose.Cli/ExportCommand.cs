using System.CommandLine;
using Ose.Models.Checkpoints;
using Ose.Models.Data;

namespace Ose.Cli;

/// <summary><c>ose export</c>: a run's student (or any model folder) in Hugging Face layout or as ONNX, for use outside the toolkit.</summary>
public static class ExportCommand
{
    public static Command Create()
    {
        var run = new Option<string>("--run")
        {
            Description = "an `ose search` run directory (its chosen, trained architecture), an `ose pretrain`/`ose finetune` output, "
                + "or a model folder in Hugging Face layout (config.json, model.safetensors)",
            Required = true,
        };
        var output = new Option<string>("--out") { Description = "folder to write config.json, the model and vocab.txt to", Required = true };
        var format = new Option<string>("--format")
        {
            Description = "hf: model.safetensors (Hugging Face layout); onnx: model.onnx (opset 17, dynamic batch and sequence, "
                + "inputs input_ids, attention_mask, token_type_ids; outputs last_hidden_state, or logits for a fine-tuned model)",
            DefaultValueFactory = _ => "hf",
        };
        format.AcceptOnlyFromAmong("hf", "onnx");
        var command = new Command("export", "write a run's student (or a model folder) in Hugging Face layout or as ONNX, with config.json and vocab.txt")
        {
            run, output, format, DataCommand.DataOption,
        };
        command.SetAction(parse =>
        {
            string vocabulary = DataDirectory.Resolve(parse.GetValue(DataCommand.DataOption)).Vocabulary;
            var chosen = parse.GetValue(format) == "onnx" ? ExportFormat.Onnx : ExportFormat.HuggingFace;
            string what = StudentExport.Export(parse.GetValue(run)!, vocabulary, parse.GetValue(output)!, chosen);
            Console.WriteLine($"wrote {what} to {Path.GetFullPath(parse.GetValue(output)!)}");
            return 0;
        });
        return command;
    }
}
