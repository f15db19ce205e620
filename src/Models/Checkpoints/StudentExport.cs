using System.Text.Json;
using static TorchSharp.torch;

namespace Ose.Models.Checkpoints;

/// <summary>
/// Takes a student out of a run folder in Hugging Face layout (<c>config.json</c>, <c>model.safetensors</c>,
/// <c>vocab.txt</c>): the chosen architecture of an `ose search` run, as training-based error trained it, or the model
/// of an `ose pretrain` or `ose finetune` output. Written to a staging folder renamed into place.
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
        if (File.Exists(Path.Combine(model, "config.json")))
        {
            Stage(outFolder, staging =>
            {
                foreach (string file in new[] { "config.json", StudentFolder.WeightsFile })
                    File.Copy(Path.Combine(model, file), Path.Combine(staging, file));
                CopyVocabulary(model, vocabularyPath, staging);
            });
            return $"the model of {runFolder}";
        }
        string manifest = Path.Combine(runFolder, "search.json");
        if (!File.Exists(manifest))
            throw new UserInputException($"{runFolder} is neither an `ose search` run (search.json) nor a pretrain or finetune output (model/)");
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
        Stage(outFolder, staging =>
        {
            string inner = Path.Combine(staging, "student");
            StudentFolder.Save(student, config, inner);
            foreach (string file in Directory.GetFiles(inner)) File.Move(file, Path.Combine(staging, Path.GetFileName(file)));
            Directory.Delete(inner);
            File.Copy(vocabularyPath, Path.Combine(staging, ClassifierFolder.VocabularyFile));
        });
        return $"the chosen {ξ.ToShortString()} of {runFolder}";
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

    /// <summary>A classifier folder carries its own vocabulary; a pretrained student takes the data directory's.</summary>
    private static void CopyVocabulary(string model, string vocabularyPath, string staging)
    {
        string own = Path.Combine(model, ClassifierFolder.VocabularyFile);
        File.Copy(File.Exists(own) ? own : vocabularyPath, Path.Combine(staging, ClassifierFolder.VocabularyFile));
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
                .SequenceEqual(["config.json", StudentFolder.WeightsFile, ClassifierFolder.VocabularyFile]))
            throw new UserInputException($"--out {outFolder} exists and is not an earlier export: choose a new folder");
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
