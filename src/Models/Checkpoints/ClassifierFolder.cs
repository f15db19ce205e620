using System.Text.Json;
using System.Text.Json.Nodes;
using static TorchSharp.torch;

namespace Ose.Models.Checkpoints;

/// <summary>A fine-tuned classifier loaded from disk, with the label of each output.</summary>
public sealed record LoadedClassifier(BertForSequenceClassification Model, EncoderConfig Config, IReadOnlyList<string> Labels) : IDisposable
{
    public void Dispose() => Model.Dispose();
}

/// <summary>
/// A fine-tuned sentence classifier in Hugging Face layout: <c>config.json</c> (BertForSequenceClassification, with
/// id2label), <c>model.safetensors</c> and the <c>vocab.txt</c> it was trained with, so that a reader can refuse a
/// model whose token ids mean other words.
/// </summary>
public static class ClassifierFolder
{
    public const string VocabularyFile = "vocab.txt";

    public static void Save(BertForSequenceClassification model, EncoderConfig config, IReadOnlyList<string> labels, string vocabularyPath, string folder)
    {
        string staging = Path.TrimEndingDirectorySeparator(folder) + $".{Guid.NewGuid():N}.tmp";
        Directory.CreateDirectory(staging);
        var json = StudentFolder.ConfigJson(config, nameof(BertForSequenceClassification));
        json["num_labels"] = labels.Count;
        json["id2label"] = new JsonObject(labels.Select((l, i) => KeyValuePair.Create(i.ToString(System.Globalization.CultureInfo.InvariantCulture), (JsonNode?)l)));
        json["label2id"] = new JsonObject(labels.Select((l, i) => KeyValuePair.Create(l, (JsonNode?)i)));
        File.WriteAllText(Path.Combine(staging, "config.json"), json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        SafeTensors.Write(model, Path.Combine(staging, StudentFolder.WeightsFile));
        File.Copy(vocabularyPath, Path.Combine(staging, VocabularyFile));
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        Directory.Move(staging, folder);
    }

    /// <param name="vocabularyPath">The vocabulary the caller tokenizes with; the folder's must be the same file.</param>
    public static LoadedClassifier Load(string folder, string vocabularyPath, Device device)
    {
        string configPath = Path.Combine(folder, "config.json"), weights = Path.Combine(folder, StudentFolder.WeightsFile);
        string vocabulary = Path.Combine(folder, VocabularyFile);
        if (!File.Exists(configPath) || !File.Exists(weights) || !File.Exists(vocabulary))
            throw new UserInputException($"{folder} is not a classifier folder: it needs config.json, {StudentFolder.WeightsFile} and {VocabularyFile}");
        if (!File.ReadAllBytes(vocabulary).AsSpan().SequenceEqual(File.ReadAllBytes(vocabularyPath)))
            throw new UserInputException($"{folder} was trained with another vocabulary than {vocabularyPath}");

        var labels = ReadLabels(configPath);
        var source = Source.Resolve(configPath);
        var config = EncoderConfig.From(source.Architecture, source.Shape);
        var model = new BertForSequenceClassification(config, labels.Length, device);
        try
        {
            SafeTensors.Read(model, weights);
        }
        catch
        {
            model.Dispose();
            throw;
        }
        return new LoadedClassifier(model, config, labels);
    }

    internal static string[] ReadLabels(string configPath)
    {
        try
        {
            var id2label = JsonNode.Parse(File.ReadAllText(configPath))?["id2label"]?.AsObject()
                ?? throw new UserInputException($"{configPath} has no id2label: it is not a classifier's config");
            var labels = new string[id2label.Count];
            foreach (var (key, value) in id2label)
            {
                if (!int.TryParse(key, out int i) || i < 0 || i >= labels.Length || value is null)
                    throw new UserInputException($"{configPath}: id2label must map 0..{labels.Length - 1} to labels");
                labels[i] = value.GetValue<string>();
            }
            return labels;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            throw new UserInputException($"malformed {configPath}: {e.Message}");
        }
    }
}
