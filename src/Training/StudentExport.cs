using System.Text.Json;
using System.Text.Json.Nodes;
using Ose.IO;
using Ose.Models.Checkpoints;
using Ose.Models;
using static TorchSharp.torch;

namespace Ose.Training;

/// <summary>
/// Takes a student out of a run folder in Hugging Face layout (<c>config.json</c>, <c>model.safetensors</c>,
/// <c>vocab.txt</c>): the chosen architecture of an `ose search` run, as training-based error trained it, or the model
/// of an `ose pretrain` or `ose finetune` output, with its <c>training.json</c>. Written with <see cref="CrashSafe.WriteFolder"/>.
/// </summary>
public static class StudentExport
{
    /// <returns>What was exported, in words.</returns>
    public static string Export(string runFolder, string vocabularyPath, string outFolder)
    {
        if (!Directory.Exists(runFolder)) throw new UserInputException($"run folder not found: {runFolder}");
        if (!File.Exists(vocabularyPath)) throw new UserInputException($"{vocabularyPath} is missing: run `ose data prepare` first");
        RequireReplaceableOutput(runFolder, outFolder);
        string model = Path.Combine(runFolder, "model");
        if (File.Exists(Path.Combine(model, StudentFolder.ConfigFile)))
        {
            // Checked as `ose finetune` checks what it reads: a torn or foreign file is refused here, not copied.
            string ownVocabulary = Path.Combine(model, ClassifierFolder.VocabularyFile);
            string vocabulary = File.Exists(ownVocabulary) ? ownVocabulary : vocabularyPath;
            LoadToCheck(model, vocabulary);
            Write(outFolder, staging =>
            {
                foreach (string file in new[] { StudentFolder.ConfigFile, StudentFolder.WeightsFile, TrainingRecord.FileName })
                    if (File.Exists(Path.Combine(model, file))) File.Copy(Path.Combine(model, file), Path.Combine(staging, file));
                File.Copy(vocabulary, Path.Combine(staging, ClassifierFolder.VocabularyFile));
            });
            return $"the model of {runFolder}";
        }
        string manifest = Path.Combine(runFolder, "search.json");
        if (!File.Exists(manifest))
            throw new UserInputException($"{runFolder} is neither an `ose search` run (search.json) nor a pretrain or finetune output (model/)");
        var ξ = ReadChoice(manifest);
        var checkpoints = Enumerable.Range(0, int.MaxValue)
            .Select(t => new TrainingCheckpoint(TrainedError.CheckpointDirectory(Path.Combine(runFolder, TrainedErrorSetup.TrainingFolder), ξ, t)))
            .TakeWhile(c => Directory.Exists(Path.GetDirectoryName(c.Folder))).ToArray();
        if (checkpoints.Length == 0)
            throw new UserInputException($"the chosen {ξ.ToShortString()} was not trained in {runFolder} (its error came from a table or a proxy): there are no weights to export");
        if (checkpoints.Length > 1)
            throw new UserInputException($"the chosen {ξ.ToShortString()} was trained with {checkpoints.Length} hyperparameter sets; export one with `ose pretrain` instead");
        var checkpoint = checkpoints[0];
        if (!checkpoint.Exists)
            throw new UserInputException($"{checkpoint.Folder} is missing: the training of {ξ.ToShortString()} did not finish; run the search again to complete it");

        // The checkpoint says what it holds: no architecture or vocabulary is guessed from the search's inputs.
        var config = StudentFolder.ReadConfig(checkpoint.Folder);
        int words = File.ReadLines(vocabularyPath).Count();
        if (words != config.V)
            throw new UserInputException($"the chosen {ξ.ToShortString()} was trained with a vocabulary of {config.V} words, {vocabularyPath} has {words}: export with the --data it was searched with");
        var record = TrainingRecord.Read(checkpoint.Folder)
            ?? throw new UserInputException($"{checkpoint.Folder} records no training settings: it predates this version; run the search again in a new folder");
        using var student = new BertForMaskedLM(config, CPU);
        string weights = Path.Combine(checkpoint.Folder, TrainingCheckpoint.WeightsFile);
        try
        {
            student.load(weights, strict: true);
        }
        catch (Exception e) when (e is not UserInputException)
        {
            throw new UserInputException($"{weights} does not hold the {config} its config.json describes: {e.Message}");
        }
        Write(outFolder, staging =>
        {
            StudentFolder.WriteConfig(config, "BertForMaskedLM", staging);
            record.Write(staging);
            SafeTensors.Write(student, Path.Combine(staging, StudentFolder.WeightsFile));
            File.Copy(vocabularyPath, Path.Combine(staging, ClassifierFolder.VocabularyFile));
        });
        return $"the chosen {ξ.ToShortString()} of {runFolder}";
    }

    private static Architecture ReadChoice(string manifest)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(manifest));
            var chosen = document.RootElement.GetProperty("result").GetProperty("chosen");
            int Get(string name) => chosen.GetProperty(name).GetInt32();
            return new Architecture(Get("D"), Get("A"), Get("H"), Get("I"));
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new UserInputException($"malformed {manifest}: {e.Message}");
        }
    }

    /// <summary>Loads a model folder as the command that made it would, so that whatever is wrong with it is found now.</summary>
    private static void LoadToCheck(string model, string vocabularyPath)
    {
        string architecture;
        try
        {
            architecture = JsonNode.Parse(File.ReadAllText(Path.Combine(model, StudentFolder.ConfigFile)))?["architectures"]?[0]?.GetValue<string>() ?? "";
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw new UserInputException($"malformed {Path.Combine(model, StudentFolder.ConfigFile)}: {e.Message}");
        }
        IDisposable loaded = architecture switch
        {
            nameof(BertForSequenceClassification) => ClassifierFolder.Load(model, vocabularyPath, CPU),
            nameof(BertForTokenClassification) => TaggerFolder.Load(model, vocabularyPath, CPU),
            _ => StudentFolder.Load(model, CPU),
        };
        loaded.Dispose();
    }

    /// <summary>Exporting replaces the output folder: it may be new or an earlier export, never the run nor a folder holding it.</summary>
    private static void RequireReplaceableOutput(string runFolder, string outFolder)
    {
        string from = Path.TrimEndingDirectorySeparator(Path.GetFullPath(runFolder));
        string to = Path.TrimEndingDirectorySeparator(Path.GetFullPath(outFolder));
        if (from == to || from.StartsWith(to + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw new UserInputException($"--out {outFolder} holds the run being exported: choose another folder");
        if (File.Exists(outFolder)) throw new UserInputException($"--out {outFolder} is a file: choose a folder");
        if (Directory.Exists(outFolder) && Directory.EnumerateFileSystemEntries(outFolder).Any()
            && !Directory.EnumerateFileSystemEntries(outFolder).Select(Path.GetFileName).Order()
                .Except([TrainingRecord.FileName]).SequenceEqual([StudentFolder.ConfigFile, StudentFolder.WeightsFile, ClassifierFolder.VocabularyFile]))
            throw new UserInputException($"--out {outFolder} exists and is not an earlier export: choose a new folder");
    }

    private static void Write(string outFolder, Action<string> fill)
    {
        try
        {
            CrashSafe.WriteFolder(outFolder, fill);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UserInputException($"cannot write {outFolder}: {e.Message}");
        }
    }
}
