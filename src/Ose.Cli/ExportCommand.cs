using System.CommandLine;
using Ose.Studies;
using Ose.Training;
using Ose.Tasks.Data;

namespace Ose.Cli;

/// <summary><c>ose export</c>: a run's student (or any model folder) in Hugging Face layout or as ONNX, for use outside the toolkit.</summary>
public static class ExportCommand
{
    public static Command Create()
    {
        var run = new Option<string>("--run")
        {
            Description = "an `ose search` run directory (its chosen, trained architecture), an `ose pretrain`/`ose finetune` output, "
                + "an `ose run` study folder (its student), or a model folder in Hugging Face layout (config.json, model.safetensors)",
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
            run, output, format, CommonOptions.Data,
        };
        command.SetAction(parse =>
        {
            string vocabulary = DataDirectory.Resolve(parse.GetValue(CommonOptions.Data)).Vocabulary;
            string folder = parse.GetValue(run)!;
            // A study folder holds several models; the one a user exports is the study's pretrained student.
            if (File.Exists(Path.Combine(folder, StudyRun.IdentityFile)))
            {
                folder = Path.Combine(folder, StudyRun.StudentStage);
                if (!Directory.Exists(folder))
                    throw new UserInputException($"the study in {parse.GetValue(run)} has no pretrained student ({folder}) yet: finish it with `ose run`");
                Console.WriteLine($"{parse.GetValue(run)} is a study: exporting its pretrained student, {folder}");
            }
            var chosen = parse.GetValue(format) == "onnx" ? ExportFormat.Onnx : ExportFormat.HuggingFace;
            string what = StudentExport.Export(folder, vocabulary, parse.GetValue(output)!, chosen);
            Console.WriteLine($"wrote {what} to {Path.GetFullPath(parse.GetValue(output)!)}");
            return 0;
        });
        return command;
    }
}
