using System.CommandLine;
using Ose.Studies;
using Ose.Training;
using Ose.Tasks.Data;

namespace Ose.Cli;

/// <summary><c>ose export</c>: a run's student in Hugging Face layout, for use outside the toolkit.</summary>
public static class ExportCommand
{
    public static Command Create()
    {
        var run = new Option<string>("--run")
        {
            Description = "an `ose search` run directory (its chosen, trained architecture), an `ose pretrain`/`ose finetune` output, or an `ose run` study folder (its student)",
            Required = true,
        };
        var output = new Option<string>("--out") { Description = "folder to write config.json, model.safetensors and vocab.txt to", Required = true };
        var command = new Command("export", "write a run's student in Hugging Face layout (config.json, model.safetensors, vocab.txt)")
        {
            run, output, CommonOptions.Data,
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
            string what = StudentExport.Export(folder, vocabulary, parse.GetValue(output)!);
            Console.WriteLine($"wrote {what} to {Path.GetFullPath(parse.GetValue(output)!)}");
            return 0;
        });
        return command;
    }
}
