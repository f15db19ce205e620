using System.Text.Json;
using Ose.Models.Onnx;
using static TorchSharp.torch;

namespace Ose.Models.Checkpoints;

/// <summary>What <c>ose export</c> writes beside config.json and vocab.txt: model.safetensors or model.onnx.</summary>
public enum ExportFormat { HuggingFace, Onnx }

/// <summary>
/// Takes a student out of a run folder in Hugging Face layout (<c>config.json</c>, <c>model.safetensors</c>,
/// <c>vocab.txt</c>), or with <c>model.onnx</c> (<see cref="OnnxExport"/>) in place of the safetensors: the chosen
/// architecture of an `ose search` run, as training-based error trained it, the model of an `ose pretrain` or
/// `ose finetune` output, or any model folder in Hugging Face layout (a student or a source). Written to a staging
/// folder renamed into place.
/// </summary>
public static class StudentExport
{
    /// <returns>What was exported, in words.</returns>
    public static string Export(string runFolder, string vocabularyPath, string outFolder, ExportFormat format = ExportFormat.HuggingFace)
    {
        if (!Directory.Exists(runFolder)) throw new UserInputException($"run folder not found: {runFolder}");
        RequireReplaceableOutput(runFolder, outFolder);
        string? model = HuggingFaceModel.IsModelFolder(runFolder) ? runFolder
            : File.Exists(Path.Combine(runFolder, "model", "config.json")) ? Path.Combine(runFolder, "model")
            : null;
        string what = model is null ? "" : model == runFolder ? $"the model in {runFolder}" : $"the model of {runFolder}";
        Stage(outFolder, staging =>
        {
            string folder = model ?? SaveChosenStudent(runFolder, vocabularyPath, Path.Combine(staging, "student"), out what);
            File.Copy(Path.Combine(folder, "config.json"), Path.Combine(staging, "config.json"));
            if (format == ExportFormat.Onnx)
            {
                using var loaded = HuggingFaceModel.Load(folder, CPU);
                OnnxExport.Write(loaded, Path.Combine(staging, OnnxExport.ModelFile));
            }
            else
            {
                File.Copy(Path.Combine(folder, StudentFolder.WeightsFile), Path.Combine(staging, StudentFolder.WeightsFile));
            }
            CopyVocabulary(folder, vocabularyPath, staging);
            if (model is null) Directory.Delete(folder, recursive: true);
        });
        return what;
    }

    /// <summary>The chosen architecture of an `ose search` run, as training-based error trained it, saved to <paramref name="folder"/>.</summary>
    private static string SaveChosenStudent(string runFolder, string vocabularyPath, string folder, out string what)
    {
        string manifest = Path.Combine(runFolder, "search.json");
        if (!File.Exists(manifest))
            throw new UserInputException($"{runFolder} is neither an `ose search` run (search.json) nor a pretrain or finetune output (model/) nor a model folder (config.json, {StudentFolder.WeightsFile})");
        var (source, ξ) = ReadChoice(manifest);
        string trained = Path.Combine(runFolder, "training", $"{ξ.D}-{ξ.A}-{ξ.H}-{ξ.I}");
        var thetas = Directory.Exists(trained) ? Directory.GetDirectories(trained, "theta-*") : [];
        if (thetas.Length == 0)
            throw new UserInputException($"the chosen {ξ.ToShortString()} was not trained in {runFolder} (its error came from a table or a proxy): there are no weights to export");
        if (thetas.Length > 1)
            throw new UserInputException($"the chosen {ξ.ToShortString()} was trained with {thetas.Length} hyperparameter sets; export one with `ose pretrain` instead");
        string weights = Path.Combine(thetas[0], "checkpoint", "model.bin");
        if (!File.Exists(weights))
            throw new UserInputException($"{weights} is missing: the training of {ξ.ToShortString()} did not finish; run the search again to complete it");
        RequireVocabulary(vocabularyPath);

        // Training-based error trains with our tokenizer's vocabulary and no pooler, whatever the source (TrainedErrorSetup).
        int vocabularySize = File.ReadLines(vocabularyPath).Count();
        var config = EncoderConfig.From(ξ, Source.Resolve(source).Shape with { V = vocabularySize, HasPooler = false });
        using var student = new BertForMaskedLM(config, CPU);
        try
        {
            student.load(weights, strict: true);
        }
        catch (Exception e) when (e is not UserInputException)
        {
            throw new UserInputException($"{weights} does not hold a {ξ.ToShortString()} student with a {vocabularySize}-word vocabulary: {e.Message}");
        }
        StudentFolder.Save(student, config, folder);
        what = $"the chosen {ξ.ToShortString()} of {runFolder}";
        return folder;
    }

    private static (string Source, Architecture Chosen) ReadChoice(string manifest)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(manifest));
            var root = document.RootElement;
            string source = root.GetProperty("inputs").GetProperty("source").GetString()!;
            var chosen = root.GetProperty("result").GetProperty("chosen");
            int Get(string name) => chosen.GetProperty(name).GetInt32();
            return (source, new Architecture(Get("D"), Get("A"), Get("H"), Get("I")));
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new UserInputException($"malformed {manifest}: {e.Message}");
        }
    }

    /// <summary>
    /// A classifier folder carries its own vocabulary; a pretrained student takes the data directory's, which must have
    /// as many words as the model's embedding table, or the token ids would mean other words.
    /// </summary>
    private static void CopyVocabulary(string model, string vocabularyPath, string staging)
    {
        string own = Path.Combine(model, ClassifierFolder.VocabularyFile);
        if (!File.Exists(own))
        {
            RequireVocabulary(vocabularyPath);
            int words = File.ReadLines(vocabularyPath).Count(), size = Source.Resolve(Path.Combine(model, "config.json")).Shape.V;
            if (words != size)
                throw new UserInputException($"{model} has no {ClassifierFolder.VocabularyFile} and the data vocabulary {vocabularyPath} has {words} words, not the model's {size}");
        }
        File.Copy(File.Exists(own) ? own : vocabularyPath, Path.Combine(staging, ClassifierFolder.VocabularyFile));
    }

    private static void RequireVocabulary(string vocabularyPath)
    {
        if (!File.Exists(vocabularyPath)) throw new UserInputException($"{vocabularyPath} is missing: run `ose data prepare` first");
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
        var files = Directory.EnumerateFileSystemEntries(folder).Select(Path.GetFileName).Order().ToArray();
        return files.SequenceEqual(["config.json", StudentFolder.WeightsFile, ClassifierFolder.VocabularyFile])
            || files.SequenceEqual(["config.json", OnnxExport.ModelFile, ClassifierFolder.VocabularyFile]);
    }

    private static void Stage(string outFolder, Action<string> write)
    {
        string staging = Path.TrimEndingDirectorySeparator(Path.GetFullPath(outFolder)) + $".{Guid.NewGuid():N}.tmp";
        try
        {
            Directory.CreateDirectory(staging);
            write(staging);
            if (Directory.Exists(outFolder)) Directory.Delete(outFolder, recursive: true);
            Directory.Move(staging, outFolder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UserInputException($"cannot write {outFolder}: {e.Message}");
        }
        finally
        {
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        }
    }
}
