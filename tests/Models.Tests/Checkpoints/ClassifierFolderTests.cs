using Ose.Models.Checkpoints;
using Ose.Models.FineTuning;
using Ose.Models.Text;
using Ose.Models.Tests.FineTuning;
using Xunit;
using static TorchSharp.torch;

namespace Ose.Models.Tests.Checkpoints;

public sealed class ClassifierFolderTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("ose-classifier-").FullName;
    private string Vocabulary => Path.Combine(root, "vocab.txt");
    private string Folder => Path.Combine(root, "model");

    public ClassifierFolderTests() => File.WriteAllLines(Vocabulary, TextClassifierTrainerTests.Vocabulary);

    public void Dispose() => Directory.Delete(root, recursive: true);

    private static BertForSequenceClassification Classifier(EncoderConfig config)
    {
        manual_seed(7);
        return new BertForSequenceClassification(config, 3);
    }

    [Fact]
    public void A_saved_classifier_loads_back_with_its_labels_and_the_same_logits()
    {
        var config = Tiny.Config(V: TextClassifierTrainerTests.Vocabulary.Length);
        using var model = Classifier(config);
        string[] labels = ["negative", "neutral", "positive"];
        ClassifierFolder.Save(model, config, labels, Vocabulary, Folder);

        using var loaded = ClassifierFolder.Load(Folder, Vocabulary, CPU);

        Assert.Equal(labels, loaded.Labels);
        Assert.Equal(config with { Dropout = loaded.Config.Dropout }, loaded.Config);   // dropout is a training setting, not saved
        var trainer = new TextClassifierTrainer(WordPieceTokenizer.Load(Vocabulary), CPU);
        var sentences = TextClassifierTrainerTests.Sentences(12, seed: 3);
        Assert.Equal(trainer.Predict(model, sentences, 16), trainer.Predict(loaded.Model, sentences, 16));
        Assert.Empty(Directory.GetDirectories(root, "*.tmp"));
    }

    [Fact]
    public void A_classifier_trained_with_another_vocabulary_is_refused()
    {
        var config = Tiny.Config(V: TextClassifierTrainerTests.Vocabulary.Length);
        using var model = Classifier(config);
        ClassifierFolder.Save(model, config, ["a", "b", "c"], Vocabulary, Folder);
        string other = Path.Combine(root, "other-vocab.txt");
        File.WriteAllLines(other, TextClassifierTrainerTests.Vocabulary.Reverse());

        Assert.Contains("another vocabulary", Assert.Throws<UserInputException>(() => ClassifierFolder.Load(Folder, other, CPU)).Message);
    }

    [Fact]
    public void A_folder_missing_its_weights_or_with_corrupt_weights_is_a_user_error()
    {
        var config = Tiny.Config(V: TextClassifierTrainerTests.Vocabulary.Length);
        using var model = Classifier(config);
        ClassifierFolder.Save(model, config, ["a", "b", "c"], Vocabulary, Folder);
        string weights = Path.Combine(Folder, StudentFolder.WeightsFile);

        File.WriteAllBytes(weights, [1, 2, 3]);
        Assert.Throws<UserInputException>(() => ClassifierFolder.Load(Folder, Vocabulary, CPU));

        File.Delete(weights);
        Assert.Contains("not a classifier folder", Assert.Throws<UserInputException>(() => ClassifierFolder.Load(Folder, Vocabulary, CPU)).Message);
    }
}
