using Ose.Models.Checkpoints;
using static TorchSharp.torch;

namespace Ose.Models.Tests.Checkpoints;

public sealed class ClassifierFolderTests : IDisposable
{
    private static readonly string[] Labels = ["contradiction", "entailment", "neutral"];
    private readonly string directory = Directory.CreateTempSubdirectory("ose-classifier-").FullName;
    private readonly string vocabulary;
    private readonly EncoderConfig config;

    public ClassifierFolderTests()
    {
        vocabulary = Path.Combine(directory, "vocab.txt");
        int size = Tiny.WriteVocabulary(vocabulary, Enumerable.Range(0, 20).Select(i => $"word{i}"));
        config = Tiny.Config(pooler: true, V: size);
    }

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private static Tensor Logits(BertForSequenceClassification model)
    {
        model.eval();
        using var _ = no_grad();
        var ids = tensor(new long[] { 2, 7, 9, 11, 3, 12, 13, 3 }, [1, 8]);
        var types = tensor(new long[] { 0, 0, 0, 0, 0, 1, 1, 1 }, [1, 8]);
        return model.call(ids, types, ones_like(ids));
    }

    /// <summary>A randomly initialised classifier saved to a folder; the model is returned to compare against.</summary>
    private (BertForSequenceClassification Model, string Folder) Saved(long seed)
    {
        manual_seed(seed);
        var model = new BertForSequenceClassification(config, Labels.Length);
        string folder = Path.Combine(directory, "classifier");
        ClassifierFolder.Save(model, config, Labels, vocabulary, Tiny.Record, folder);
        return (model, folder);
    }

    [Fact]
    public void A_classifier_folder_round_trips_to_identical_logits_and_the_same_labels()
    {
        var (model, folder) = Saved(seed: 1);
        using var disposeModel = model;

        using var loaded = ClassifierFolder.Load(folder, vocabulary, CPU);

        Assert.Equal(Labels, loaded.Labels);
        Assert.Equal(config with { Dropout = loaded.Config.Dropout }, loaded.Config);
        Assert.True(Logits(model).allclose(Logits(loaded.Model), rtol: 0, atol: 0));
        // Another random classifier differs, so the equality above is the weights', not the architecture's.
        manual_seed(2);
        using var other = new BertForSequenceClassification(config, Labels.Length);
        Assert.False(Logits(other).allclose(Logits(loaded.Model)));
    }

    [Fact]
    public void Saving_over_an_existing_folder_replaces_it()
    {
        var (first, folder) = Saved(seed: 1);
        first.Dispose();
        File.WriteAllText(Path.Combine(folder, "stale.txt"), "from an earlier save");
        var (second, _) = Saved(seed: 3);
        using var disposeSecond = second;

        using var loaded = ClassifierFolder.Load(folder, vocabulary, CPU);

        Assert.False(File.Exists(Path.Combine(folder, "stale.txt")));
        Assert.True(Logits(second).allclose(Logits(loaded.Model), rtol: 0, atol: 0));
    }

    [Fact]
    public void Loading_with_another_vocabulary_is_a_user_error()
    {
        var (model, folder) = Saved(seed: 1);
        model.Dispose();
        string otherVocabulary = Path.Combine(directory, "other-vocab.txt");
        // Same size, one token different: token ids would mean other words.
        Tiny.WriteVocabulary(otherVocabulary, Enumerable.Range(0, 20).Select(i => i == 13 ? "other" : $"word{i}"));

        var error = Assert.Throws<UserInputException>(() => ClassifierFolder.Load(folder, otherVocabulary, CPU));

        Assert.Contains("vocabulary", error.Message);
    }

    [Theory]
    [InlineData("config.json")]
    [InlineData("model.safetensors")]
    [InlineData("vocab.txt")]
    public void A_folder_missing_one_of_its_files_is_a_user_error(string file)
    {
        var (model, folder) = Saved(seed: 1);
        model.Dispose();
        File.Delete(Path.Combine(folder, file));

        var error = Assert.Throws<UserInputException>(() => ClassifierFolder.Load(folder, vocabulary, CPU));

        Assert.Contains(file, error.Message);
    }

    [Fact]
    public void A_config_that_is_not_json_or_lacks_id2label_is_a_user_error()
    {
        var (model, folder) = Saved(seed: 1);
        model.Dispose();
        string configPath = Path.Combine(folder, "config.json");
        string saved = File.ReadAllText(configPath);

        File.WriteAllText(configPath, saved[..(saved.Length / 2)]);
        Assert.Throws<UserInputException>(() => ClassifierFolder.Load(folder, vocabulary, CPU));

        File.WriteAllText(configPath, saved.Replace("\"id2label\"", "\"labels\""));
        Assert.Contains("id2label", Assert.Throws<UserInputException>(() => ClassifierFolder.Load(folder, vocabulary, CPU)).Message);
    }

    [Fact]
    public void Truncated_or_garbage_weights_are_a_user_error()
    {
        var (model, folder) = Saved(seed: 1);
        model.Dispose();
        string weights = Path.Combine(folder, "model.safetensors");
        byte[] saved = File.ReadAllBytes(weights);

        // The header intact, the tensors cut short: as a copy interrupted half way leaves it.
        File.WriteAllBytes(weights, saved[..(saved.Length / 2)]);
        Assert.Throws<UserInputException>(() => ClassifierFolder.Load(folder, vocabulary, CPU));

        File.WriteAllBytes(weights, [.. Enumerable.Range(0, 64).Select(i => (byte)(i * 37))]);
        Assert.Throws<UserInputException>(() => ClassifierFolder.Load(folder, vocabulary, CPU));
    }
}
