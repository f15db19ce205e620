using System.Text.Json;
using System.Text.Json.Nodes;
using static TorchSharp.torch;

namespace Ose.Models.Checkpoints;

/// <summary>
/// A trained student on disk in Hugging Face layout: <c>config.json</c> with BERT keys and <c>model.safetensors</c>
/// with BertForMaskedLM's names. Written to a staging folder renamed into place.
/// </summary>
public static class StudentFolder
{
    public const string WeightsFile = "model.safetensors";

    public static void Save(BertForMaskedLM model, EncoderConfig config, string folder)
    {
        string staging = folder.TrimEnd('/') + $".{Guid.NewGuid():N}.tmp";
        Directory.CreateDirectory(staging);
        var json = ConfigJson(config, "BertForMaskedLM");
        File.WriteAllText(Path.Combine(staging, "config.json"), json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        SafeTensors.Write(model, Path.Combine(staging, WeightsFile));
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        Directory.Move(staging, folder);
    }

    /// <summary>A Hugging Face BERT <c>config.json</c> for <paramref name="config"/> and the named model class.</summary>
    internal static JsonObject ConfigJson(EncoderConfig config, string architecture) => new()
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

    public static BertForMaskedLM Load(string folder, Device device)
    {
        string configPath = Path.Combine(folder, "config.json"), weights = Path.Combine(folder, WeightsFile);
        if (!File.Exists(configPath) || !File.Exists(weights))
            throw new UserInputException($"{folder} is not a checkpoint folder: it needs config.json and {WeightsFile}");
        var source = Source.Resolve(configPath);
        var config = EncoderConfig.From(source.Architecture, source.Shape);
        var model = new BertForMaskedLM(config, device);
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
