using System.Text.Json;
using System.Text.Json.Nodes;
using Ose.Models.FineTuning;
using static TorchSharp.torch;

namespace Ose.Models.Checkpoints;

/// <summary>A fine-tuned slot tagger loaded from disk, with its tag set.</summary>
public sealed record LoadedTagger(BertForTokenClassification Model, EncoderConfig Config, BioTagSet Tags) : IDisposable
{
    public void Dispose() => Model.Dispose();
}

/// <summary>
/// A fine-tuned slot tagger in Hugging Face layout, as <see cref="ClassifierFolder"/> keeps a classifier:
/// <c>config.json</c> (BertForTokenClassification, id2label the BIO tags O, B-s₁, I-s₁, …), <c>model.safetensors</c>
/// and the <c>vocab.txt</c> it was trained with.
/// </summary>
public static class TaggerFolder
{
    public static void Save(BertForTokenClassification model, EncoderConfig config, BioTagSet tags, string vocabularyPath, string folder)
    {
        string staging = Path.TrimEndingDirectorySeparator(folder) + $".{Guid.NewGuid():N}.tmp";
        Directory.CreateDirectory(staging);
        var json = StudentFolder.ConfigJson(config, nameof(BertForTokenClassification));
        json["num_labels"] = tags.Count;
        json["id2label"] = new JsonObject(tags.Names.Select((l, i) => KeyValuePair.Create(i.ToString(System.Globalization.CultureInfo.InvariantCulture), (JsonNode?)l)));
        json["label2id"] = new JsonObject(tags.Names.Select((l, i) => KeyValuePair.Create(l, (JsonNode?)i)));
        File.WriteAllText(Path.Combine(staging, "config.json"), json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        SafeTensors.Write(model, Path.Combine(staging, StudentFolder.WeightsFile));
        File.Copy(vocabularyPath, Path.Combine(staging, ClassifierFolder.VocabularyFile));
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        Directory.Move(staging, folder);
    }

    /// <param name="vocabularyPath">The vocabulary the caller tokenizes with; the folder's must be the same file.</param>
    public static LoadedTagger Load(string folder, string vocabularyPath, Device device)
    {
        string configPath = Path.Combine(folder, "config.json"), weights = Path.Combine(folder, StudentFolder.WeightsFile);
        string vocabulary = Path.Combine(folder, ClassifierFolder.VocabularyFile);
        if (!File.Exists(configPath) || !File.Exists(weights) || !File.Exists(vocabulary))
            throw new UserInputException($"{folder} is not a tagger folder: it needs config.json, {StudentFolder.WeightsFile} and {ClassifierFolder.VocabularyFile}");
        if (!File.ReadAllBytes(vocabulary).AsSpan().SequenceEqual(File.ReadAllBytes(vocabularyPath)))
            throw new UserInputException($"{folder} was trained with another vocabulary than {vocabularyPath}");

        var tags = BioTagSet.FromNames(ClassifierFolder.ReadLabels(configPath));
        var source = Source.Resolve(configPath);
        var config = EncoderConfig.From(source.Architecture, source.Shape);
        var model = new BertForTokenClassification(config, tags.Count, device);
        try
        {
            SafeTensors.Read(model, weights);
        }
        catch
        {
            model.Dispose();
            throw;
        }
        return new LoadedTagger(model, config, tags);
    }
}
