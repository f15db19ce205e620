using Ose.Models.Checkpoints;

namespace Ose.Models.Sources;

/// <summary>
/// Reads a Hugging Face BERT folder (<c>config.json</c> + <c>model.safetensors</c>) into <see cref="SourceWeights"/>: a
/// BertModel checkpoint (names without prefix) or a BertForMaskedLM/BertForPreTraining one (<c>bert.</c> prefix, with
/// <c>cls.predictions</c>). The pooler is there when its weights are.
/// </summary>
public static class HuggingFaceImport
{
    public const string ConfigFile = "config.json";

    public static bool IsCheckpointFolder(string path) =>
        Directory.Exists(path) && File.Exists(Path.Combine(path, ConfigFile)) && File.Exists(Path.Combine(path, StudentFolder.WeightsFile));

    public static SourceWeights Read(string folder)
    {
        if (!IsCheckpointFolder(folder))
            throw new UserInputException($"{folder} is not a Hugging Face checkpoint folder: it needs {ConfigFile} and {StudentFolder.WeightsFile}");
        string weightsPath = Path.Combine(folder, StudentFolder.WeightsFile);
        var source = ReadConfig(folder);
        var stored = SafeTensors.ReadAll(weightsPath);
        var tensors = stored.ToDictionary(p => p.Key.StartsWith("bert.", StringComparison.Ordinal) ? p.Key[5..] : p.Key, p => p.Value);
        bool pooler = tensors.ContainsKey("pooler.dense.weight");
        return new SourceWeights(EncoderConfig.From(source.Architecture, source.Shape with { HasPooler = pooler }), tensors, weightsPath);
    }

    /// <summary>The architecture of the folder's <c>config.json</c>; only BERT's position scheme is mapped.</summary>
    public static Source ReadConfig(string folder)
    {
        string path = Path.Combine(folder, ConfigFile);
        using var stream = File.OpenRead(path);
        var source = Source.FromConfigJson(Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder))), stream, path);
        stream.Position = 0;
        using var document = System.Text.Json.JsonDocument.Parse(stream);
        if (document.RootElement.TryGetProperty("model_type", out var type) && type.GetString() is { } t && t != "bert")
            throw new UserInputException($"{path}: model_type '{t}' numbers positions differently from BERT; only model_type bert is mapped");
        return source;
    }
}
