using System.Text.Json;
using static TorchSharp.torch;

namespace Ose.Models.Checkpoints;

/// <summary>
/// Any model folder in Hugging Face layout (<c>config.json</c>, <c>model.safetensors</c>), built as the class its
/// config names in <c>architectures</c>: BertForSequenceClassification and BertForTokenClassification (with one output
/// per id2label entry), BertForMaskedLM, or BertModel when the config names none of these.
/// </summary>
public static class HuggingFaceModel
{
    /// <summary>Whether <paramref name="folder"/> holds a model in Hugging Face layout.</summary>
    public static bool IsModelFolder(string folder) =>
        File.Exists(Path.Combine(folder, "config.json")) && File.Exists(Path.Combine(folder, StudentFolder.WeightsFile));

    public static nn.Module Load(string folder, Device device)
    {
        if (!IsModelFolder(folder))
            throw new UserInputException($"{folder} is not a model folder: it needs config.json and {StudentFolder.WeightsFile}");
        string configPath = Path.Combine(folder, "config.json");
        var source = Source.Resolve(configPath);
        var config = EncoderConfig.From(source.Architecture, source.Shape);
        nn.Module model = Architecture(configPath) switch
        {
            nameof(BertForSequenceClassification) => new BertForSequenceClassification(config, ClassifierFolder.ReadLabels(configPath).Length, device),
            nameof(BertForTokenClassification) => new BertForTokenClassification(config, ClassifierFolder.ReadLabels(configPath).Length, device),
            nameof(BertForMaskedLM) => new BertForMaskedLM(config, device),
            _ => new BertModel(config, device),
        };
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
    private static string? Architecture(string configPath)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(configPath));
            return document.RootElement.TryGetProperty("architectures", out var list) && list.ValueKind == JsonValueKind.Array
                && list.GetArrayLength() > 0 && list[0].ValueKind == JsonValueKind.String
                ? list[0].GetString()
                : null;
        }
        catch (JsonException e)
        {
            throw new UserInputException($"malformed {configPath}: {e.Message}");
        }
    }
}
