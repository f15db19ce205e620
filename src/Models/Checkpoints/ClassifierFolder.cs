using Ose.IO;
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

    public static void Save(BertForSequenceClassification model, EncoderConfig config, IReadOnlyList<string> labels, string vocabularyPath,
        TrainingRecord record, string folder) =>
        SaveLabelled(model, config, nameof(BertForSequenceClassification), labels, vocabularyPath, record, folder);

    /// <param name="vocabularyPath">The vocabulary the caller tokenizes with; the folder's must be the same file.</param>
    public static LoadedClassifier Load(string folder, string vocabularyPath, Device device)
    {
        var (model, config, labels) = LoadLabelled(folder, vocabularyPath, "classifier",
            (c, labels) => new BertForSequenceClassification(c, labels.Length, device));
        return new LoadedClassifier(model, config, labels);
    }

    /// <summary>A model with one output per label (a classifier's, a tagger's) with id2label and its vocabulary, staged and renamed into place.</summary>
    internal static void SaveLabelled(nn.Module model, EncoderConfig config, string architecture, IReadOnlyList<string> labels,
        string vocabularyPath, TrainingRecord record, string folder) =>
        CrashSafe.WriteFolder(folder, staging =>
        {
            StudentFolder.WriteConfig(config, architecture, staging, json =>
            {
                json["num_labels"] = labels.Count;
                json["id2label"] = new JsonObject(labels.Select((l, i) => KeyValuePair.Create(i.ToString(System.Globalization.CultureInfo.InvariantCulture), (JsonNode?)l)));
                json["label2id"] = new JsonObject(labels.Select((l, i) => KeyValuePair.Create(l, (JsonNode?)i)));
            });
            record.Write(staging);
            SafeTensors.Write(model, Path.Combine(staging, StudentFolder.WeightsFile));
            File.Copy(vocabularyPath, Path.Combine(staging, VocabularyFile));
        });

    /// <summary>Reads what <see cref="SaveLabelled"/> wrote, refusing a folder trained with another vocabulary.</summary>
    /// <param name="kind">What the folder should hold, for the messages ("classifier", "tagger").</param>
    /// <param name="create">Builds the model for the config and labels; it is disposed if its weights do not load.</param>
    internal static (TModel Model, EncoderConfig Config, string[] Labels) LoadLabelled<TModel>(string folder, string vocabularyPath, string kind,
        Func<EncoderConfig, string[], TModel> create) where TModel : nn.Module
    {
        CrashSafe.Settle(folder);
        string configPath = Path.Combine(folder, StudentFolder.ConfigFile), weights = Path.Combine(folder, StudentFolder.WeightsFile);
        string vocabulary = Path.Combine(folder, VocabularyFile);
        if (!File.Exists(configPath) || !File.Exists(weights) || !File.Exists(vocabulary))
            throw new UserInputException($"{folder} is not a {kind} folder: it needs config.json, {StudentFolder.WeightsFile} and {VocabularyFile}");
        if (!File.ReadAllBytes(vocabulary).AsSpan().SequenceEqual(File.ReadAllBytes(vocabularyPath)))
            throw new UserInputException($"{folder} was trained with another vocabulary than {vocabularyPath}");

        var labels = ReadLabels(configPath);
        var config = StudentFolder.ReadConfig(folder);
        var model = create(config, labels);
        try
        {
            SafeTensors.Read(model, weights);
        }
        catch
        {
            model.Dispose();
            throw;
        }
        return (model, config, labels);
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
