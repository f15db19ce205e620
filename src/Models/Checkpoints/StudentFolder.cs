using System.Text.Json;
using System.Text.Json.Nodes;
using Ose.IO;
using static TorchSharp.torch;

namespace Ose.Models.Checkpoints;

/// <summary>
/// A trained student on disk in Hugging Face layout: <c>config.json</c> with BERT keys, <c>model.safetensors</c>
/// with BertForMaskedLM's names, and <c>training.json</c> (<see cref="TrainingRecord"/>). Saved with
/// <see cref="CrashSafe.WriteFolder"/>.
/// </summary>
public static class StudentFolder
{
    public const string WeightsFile = "model.safetensors";
    public const string ConfigFile = "config.json";

    public static void Save(BertForMaskedLM model, EncoderConfig config, TrainingRecord record, string folder) =>
        CrashSafe.WriteFolder(folder, staging =>
        {
            WriteConfig(config, "BertForMaskedLM", staging);
            record.Write(staging);
            SafeTensors.Write(model, Path.Combine(staging, WeightsFile));
        });

    /// <summary>Writes a Hugging Face BERT <c>config.json</c> for <paramref name="config"/> and the named model class.</summary>
    public static void WriteConfig(EncoderConfig config, string architecture, string folder, Action<JsonObject>? extend = null)
    {
        var json = ConfigJson(config, architecture);
        extend?.Invoke(json);
        CrashSafe.WriteText(Path.Combine(folder, ConfigFile), json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    private static JsonObject ConfigJson(EncoderConfig config, string architecture) => new()
    {
        ["model_type"] = "bert",
        ["architectures"] = new JsonArray(architecture),
        ["num_hidden_layers"] = config.D,
        ["num_attention_heads"] = config.A,
        ["hidden_size"] = config.H,
        ["intermediate_size"] = config.I,
        ["vocab_size"] = config.V,
        ["max_position_embeddings"] = config.S,
        ["type_vocab_size"] = config.T,
        ["hidden_act"] = "gelu",
        ["layer_norm_eps"] = EncoderConfig.LayerNormEpsilon,
        ["hidden_dropout_prob"] = config.Dropout,
        ["attention_probs_dropout_prob"] = config.Dropout,
        ["add_pooling_layer"] = config.Pooler,
    };

    /// <summary>The encoder a folder's <c>config.json</c> describes, with its dropout.</summary>
    public static EncoderConfig ReadConfig(string folder)
    {
        string path = Path.Combine(folder, ConfigFile);
        if (!File.Exists(path)) throw new UserInputException($"{folder} has no {ConfigFile}");
        var source = Source.Resolve(path);
        double dropout = 0.1;
        try
        {
            if (JsonNode.Parse(File.ReadAllText(path))?["hidden_dropout_prob"] is { } value) dropout = value.GetValue<double>();
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            throw new UserInputException($"malformed {path}: hidden_dropout_prob: {e.Message}");
        }
        var config = EncoderConfig.From(source.Architecture, source.Shape, dropout);
        try
        {
            config.Validate();
        }
        catch (ArgumentException e)
        {
            throw new UserInputException($"{path}: {e.Message}");
        }
        return config;
    }

    public static BertForMaskedLM Load(string folder, Device device)
    {
        CrashSafe.Settle(folder);
        string weights = Path.Combine(folder, WeightsFile);
        if (!File.Exists(Path.Combine(folder, ConfigFile)) || !File.Exists(weights))
            throw new UserInputException($"{folder} is not a checkpoint folder: it needs {ConfigFile} and {WeightsFile}");
        var model = new BertForMaskedLM(ReadConfig(folder), device);
        try
        {
            SafeTensors.Read(model, weights);
        }
        catch
        {
            model.Dispose();
            throw;
        }
        return model;
    }
}
