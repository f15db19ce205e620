using System.Text.Json;
using Ose.IO;
using Ose.Models.Checkpoints;
using Ose.Models.Onnx;
using Ose.Models;
using Ose.Training.Distil;
using static TorchSharp.torch;

namespace Ose.Training;

/// <summary>What <c>ose export</c> writes beside config.json and vocab.txt: model.safetensors or model.onnx.</summary>
public enum ExportFormat { HuggingFace, Onnx }

/// <summary>
/// Takes a student out of a run folder in Hugging Face layout (<c>config.json</c>, <c>model.safetensors</c>,
/// <c>vocab.txt</c>), or with <c>model.onnx</c> (<see cref="OnnxExport"/>) in place of the safetensors: the chosen
/// architecture of an `ose search` run, as training-based error trained it, the model of an `ose pretrain` or
/// `ose finetune` output with its <c>training.json</c>, or any model folder in Hugging Face layout (a student or a
/// source). Written with <see cref="CrashSafe.WriteFolder"/>.
/// </summary>
public static class StudentExport
{
    /// <returns>What was exported, in words.</returns>
    public static string Export(string runFolder, string vocabularyPath, string outFolder, ExportFormat format = ExportFormat.HuggingFace)
    {
        if (!Directory.Exists(runFolder)) throw new UserInputException($"run folder not found: {runFolder}");
        RequireReplaceableOutput(runFolder, outFolder);
        string? model = HuggingFaceModel.IsModelFolder(runFolder) ? runFolder
            : File.Exists(Path.Combine(runFolder, "model", StudentFolder.ConfigFile)) ? Path.Combine(runFolder, "model")
            : null;
        if (model is not null)
        {
            string vocabulary = ModelVocabulary(model, vocabularyPath);
            // Loaded as the command that made it would load it: a torn or foreign file is refused here, not copied.
            using var loaded = HuggingFaceModel.Load(model, vocabulary, CPU);
            Write(outFolder, staging =>
            {
                foreach (string file in new[] { StudentFolder.ConfigFile, TrainingRecord.FileName })
                    if (File.Exists(Path.Combine(model, file))) File.Copy(Path.Combine(model, file), Path.Combine(staging, file));
                if (format == ExportFormat.Onnx) OnnxExport.Write(loaded, Path.Combine(staging, OnnxExport.ModelFile));
                else File.Copy(Path.Combine(model, StudentFolder.WeightsFile), Path.Combine(staging, StudentFolder.WeightsFile));
                File.Copy(vocabulary, Path.Combine(staging, ClassifierFolder.VocabularyFile));
            });
            return model == runFolder ? $"the model in {runFolder}" : $"the model of {runFolder}";
        }
        if (!File.Exists(vocabularyPath)) throw new UserInputException($"{vocabularyPath} is missing: run `ose data prepare` first");
        string manifest = Path.Combine(runFolder, "search.json");
        if (!File.Exists(manifest))
            throw new UserInputException($"{runFolder} is neither an `ose search` run (search.json) nor a pretrain or finetune output (model/) nor a model folder ({StudentFolder.ConfigFile}, {StudentFolder.WeightsFile})");
        var ξ = ReadChoice(manifest);
        var distilled = new TrainingCheckpoint(TrainedError.CheckpointDirectory(Path.Combine(runFolder, DistilledErrorSetup.WorkFolder), ξ, 0));
        if (Directory.Exists(Path.GetDirectoryName(distilled.Folder)))
            return ExportDistilled(runFolder, ξ, distilled, vocabularyPath, outFolder, format);
        var checkpoints = Enumerable.Range(0, int.MaxValue)
            .Select(t => new TrainingCheckpoint(TrainedError.CheckpointDirectory(Path.Combine(runFolder, TrainedErrorSetup.TrainingFolder), ξ, t)))
            .TakeWhile(c => Directory.Exists(Path.GetDirectoryName(c.Folder))).ToArray();
        if (checkpoints.Length == 0)
            throw new UserInputException($"the chosen {ξ.ToShortString()} was not trained in {runFolder} (its error came from a table or a proxy): there are no weights to export");
        if (checkpoints.Length > 1)
            throw new UserInputException($"the chosen {ξ.ToShortString()} was trained with {checkpoints.Length} hyperparameter sets; export one with `ose pretrain` instead");
        var checkpoint = checkpoints[0];
        var (config, record) = ReadChosen(ξ, checkpoint, vocabularyPath, "trained");
        using var student = new BertForMaskedLM(config, CPU);
        LoadWeights(student, checkpoint, config, strict: true);
        WriteModel(outFolder, config, nameof(BertForMaskedLM), record, student, vocabularyPath, format);
        return $"the chosen {ξ.ToShortString()} of {runFolder}";
    }

    /// <summary>
    /// The chosen candidate of a search with the distillation error: the encoder cut out of the source and distilled (its
    /// checkpoint also holds the map P to the source's width and, for a source with one, the masked-LM head; the
    /// encoder alone is what a user deploys or fine-tunes), written as a Hugging Face <c>BertModel</c>.
    /// </summary>
    private static string ExportDistilled(string runFolder, Architecture ξ, TrainingCheckpoint checkpoint, string vocabularyPath,
        string outFolder, ExportFormat format)
    {
        var (config, record) = ReadChosen(ξ, checkpoint, vocabularyPath, "distilled");
        using var candidate = new DistilledEncoder(config);
        // Not strict: the checkpoint also holds P (projection.*) and possibly the head (cls.*), which are not exported.
        LoadWeights(candidate, checkpoint, config, strict: false);
        WriteModel(outFolder, config, nameof(BertModel), record, candidate.bert, vocabularyPath, format);
        return $"the chosen {ξ.ToShortString()} of {runFolder}, distilled from its source";
    }

    /// <summary>
    /// The finished checkpoint of the chosen candidate says what it holds (no architecture or vocabulary is guessed from
    /// the search's inputs): its config, which must match the data vocabulary, and the settings that made it.
    /// </summary>
    private static (EncoderConfig Config, TrainingRecord Record) ReadChosen(Architecture ξ, TrainingCheckpoint checkpoint,
        string vocabularyPath, string how)
    {
        if (!checkpoint.Exists)
            throw new UserInputException($"{checkpoint.Folder} is missing: the {(how == "trained" ? "training" : "distillation")} of {ξ.ToShortString()} did not finish; run the search again to complete it");
        var config = StudentFolder.ReadConfig(checkpoint.Folder);
        int words = File.ReadLines(vocabularyPath).Count();
        if (words != config.V)
            throw new UserInputException($"the chosen {ξ.ToShortString()} was {how} with a vocabulary of {config.V} words, {vocabularyPath} has {words}: export with the --data it was searched with");
        var record = TrainingRecord.Read(checkpoint.Folder)
            ?? throw new UserInputException($"{checkpoint.Folder} records no training settings: it predates this version; run the search again in a new folder");
        return (config, record);
    }

    private static void LoadWeights(nn.Module model, TrainingCheckpoint checkpoint, EncoderConfig config, bool strict)
    {
        string weights = Path.Combine(checkpoint.Folder, TrainingCheckpoint.WeightsFile);
        try
        {
            model.load(weights, strict: strict);
        }
        catch (Exception e) when (e is not UserInputException)
        {
            throw new UserInputException($"{weights} does not hold the {config} its config.json describes: {e.Message}");
        }
    }

    /// <summary>The model in Hugging Face layout: config.json, training.json, the weights (or model.onnx) and vocab.txt.</summary>
    private static void WriteModel(string outFolder, EncoderConfig config, string architecture, TrainingRecord record,
        nn.Module model, string vocabularyPath, ExportFormat format) =>
        Write(outFolder, staging =>
        {
            StudentFolder.WriteConfig(config, architecture, staging);
            record.Write(staging);
            if (format == ExportFormat.Onnx) OnnxExport.Write(model, Path.Combine(staging, OnnxExport.ModelFile));
            else SafeTensors.Write(model, Path.Combine(staging, StudentFolder.WeightsFile));
            File.Copy(vocabularyPath, Path.Combine(staging, ClassifierFolder.VocabularyFile));
        });

    private static Architecture ReadChoice(string manifest)
    {
        try
        {
            using var document = StrictJson.Parse(File.ReadAllText(manifest), manifest);
            var chosen = document.RootElement.GetProperty("result").GetProperty("chosen");
            int Get(string name) => chosen.GetProperty(name).GetInt32();
            return new Architecture(Get("D"), Get("A"), Get("H"), Get("I"));
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new UserInputException($"malformed {manifest}: {e.Message}");
        }
    }

    /// <summary>
    /// A classifier's or tagger's folder carries its own vocabulary; a pretrained student (or a source without one)
    /// takes the data directory's, which must have as many words as the model's embedding table, or the token ids
    /// would mean other words.
    /// </summary>
    private static string ModelVocabulary(string model, string vocabularyPath)
    {
        string own = Path.Combine(model, ClassifierFolder.VocabularyFile);
        if (File.Exists(own)) return own;
        if (!File.Exists(vocabularyPath)) throw new UserInputException($"{vocabularyPath} is missing: run `ose data prepare` first");
        int words = File.ReadLines(vocabularyPath).Count(), size = StudentFolder.ReadConfig(model).V;
        if (words != size)
            throw new UserInputException($"{model} has no {ClassifierFolder.VocabularyFile} and the data vocabulary {vocabularyPath} has {words} words, not the model's {size}");
        return vocabularyPath;
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
            && !IsEarlierExport(outFolder))
            throw new UserInputException($"--out {outFolder} exists and is not an earlier export: choose a new folder");
    }

    private static bool IsEarlierExport(string folder)
    {
        var files = Directory.EnumerateFileSystemEntries(folder).Select(Path.GetFileName).Order().Except([TrainingRecord.FileName]).ToArray();
        return files.SequenceEqual([StudentFolder.ConfigFile, StudentFolder.WeightsFile, ClassifierFolder.VocabularyFile])
            || files.SequenceEqual([StudentFolder.ConfigFile, OnnxExport.ModelFile, ClassifierFolder.VocabularyFile]);
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

/// <summary>The parameters of a distillation checkpoint that are the student's encoder, under the names they have there (<c>bert.</c>).</summary>
file sealed class DistilledEncoder : TorchSharp.torch.nn.Module
{
    public readonly BertModel bert;

    public DistilledEncoder(EncoderConfig config) : base(nameof(DistilledEncoder))
    {
        bert = new BertModel(config, CPU);
        RegisterComponents();
    }
}
