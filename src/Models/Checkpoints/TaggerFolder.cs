using Ose.Tasks;
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
    public static void Save(BertForTokenClassification model, EncoderConfig config, BioTagSet tags, string vocabularyPath,
        TrainingRecord record, string folder) =>
        ClassifierFolder.SaveLabelled(model, config, nameof(BertForTokenClassification), tags.Names, vocabularyPath, record, folder);

    /// <param name="vocabularyPath">The vocabulary the caller tokenizes with; the folder's must be the same file.</param>
    public static LoadedTagger Load(string folder, string vocabularyPath, Device device)
    {
        var (model, config, labels) = ClassifierFolder.LoadLabelled(folder, vocabularyPath, "tagger",
            (c, labels) => new BertForTokenClassification(c, BioTagSet.FromNames(labels).Count, device));
        return new LoadedTagger(model, config, BioTagSet.FromNames(labels));
    }
}
