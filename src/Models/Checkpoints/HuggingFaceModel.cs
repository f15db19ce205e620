using System.Text.Json;
using Ose.IO;
using static TorchSharp.torch;

namespace Ose.Models.Checkpoints;

/// <summary>
/// Any model folder in Hugging Face layout (<c>config.json</c>, <c>model.safetensors</c>), built as the class its
/// config names in <c>architectures</c>: a classifier or a tagger (read as `ose finetune` wrote it, with the vocabulary
/// check), BertForMaskedLM, or BertModel when the config names none of these (a source's encoder).
/// </summary>
public static class HuggingFaceModel
{
    /// <summary>Whether <paramref name="folder"/> holds a model in Hugging Face layout.</summary>
    public static bool IsModelFolder(string folder) =>
        File.Exists(Path.Combine(folder, StudentFolder.ConfigFile)) && File.Exists(Path.Combine(folder, StudentFolder.WeightsFile));

    /// <param name="vocabularyPath">The vocabulary a classifier's or tagger's own must equal.</param>
    public static nn.Module Load(string folder, string vocabularyPath, Device device) => Architecture(folder) switch
    {
        nameof(BertForSequenceClassification) => ClassifierFolder.Load(folder, vocabularyPath, device).Model,
        nameof(BertForTokenClassification) => TaggerFolder.Load(folder, vocabularyPath, device).Model,
        nameof(BertForMaskedLM) => StudentFolder.Load(folder, device),
        _ => LoadEncoder(folder, device),
    };

    private static BertModel LoadEncoder(string folder, Device device)
    {
        CrashSafe.Settle(folder);
        if (!IsModelFolder(folder))
            throw new UserInputException($"{folder} is not a model folder: it needs {StudentFolder.ConfigFile} and {StudentFolder.WeightsFile}");
        var model = new BertModel(StudentFolder.ReadConfig(folder), device);
        try
        {
            SafeTensors.Read(model, Path.Combine(folder, StudentFolder.WeightsFile));
        }
        catch
        {
            model.Dispose();
            throw;
        }
        return model;
    }

    /// <summary>The first entry of the config's <c>architectures</c>, or null when it has none.</summary>
    public static string? Architecture(string folder)
    {
        string path = Path.Combine(folder, StudentFolder.ConfigFile);
        if (!File.Exists(path)) throw new UserInputException($"{folder} has no {StudentFolder.ConfigFile}");
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            return document.RootElement.TryGetProperty("architectures", out var list) && list.ValueKind == JsonValueKind.Array
                && list.GetArrayLength() > 0 && list[0].ValueKind == JsonValueKind.String
                ? list[0].GetString()
                : null;
        }
        catch (JsonException e)
        {
            throw new UserInputException($"malformed {path}: {e.Message}");
        }
    }
}
