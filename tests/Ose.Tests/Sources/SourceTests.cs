namespace Ose.Tests.Sources;

public sealed class SourceTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("ose-source-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private string WriteConfig(string json, string folder = "my-bert")
    {
        string path = Path.Combine(directory, folder, "config.json");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, json);
        return path;
    }

    private const string BertBaseConfig = """
        { "model_type": "bert", "hidden_size": 768, "num_hidden_layers": 12, "num_attention_heads": 12,
          "intermediate_size": 3072, "vocab_size": 30522, "max_position_embeddings": 512, "type_vocab_size": 2 }
        """;

    [Fact]
    public void Every_preset_resolves_to_a_valid_architecture()
    {
        Assert.Equal(["bert-base", "bert-large", "bert-mini", "bort", "bort-paper", "roberta-large"], Source.PresetNames);
        foreach (string preset in Source.PresetNames)
            Assert.True(Source.Resolve(preset).Architecture.IsValid);
    }

    [Fact]
    public void The_bort_presets_are_the_released_and_the_paper_sizes()
    {
        Assert.Equal(new Architecture(4, 8, 1024, 768), Source.Resolve("bort").Architecture);
        Assert.Equal(new Architecture(4, 8, 768, 1024), Source.Resolve("bort-paper").Architecture);
        Assert.False(Source.Resolve("bort").Shape.HasPooler);
        Assert.Equal(50265, Source.Resolve("bort").Shape.V);
    }

    [Fact]
    public void A_hugging_face_config_json_reads_like_the_matching_preset_and_is_named_after_its_folder()
    {
        var source = Source.Resolve(WriteConfig(BertBaseConfig));
        var preset = Source.Resolve("bert-base");

        Assert.Equal("my-bert", source.Name);
        Assert.Equal(preset.Architecture, source.Architecture);
        Assert.Equal(preset.Shape, source.Shape);
    }

    [Fact]
    public void A_config_without_type_vocab_size_takes_the_hugging_face_default_of_two()
    {
        var source = Source.Resolve(WriteConfig(BertBaseConfig.Replace(", \"type_vocab_size\": 2", "")));
        Assert.Equal(2, source.Shape.T);
    }

    [Theory]
    [InlineData("{ \"hidden_size\": 768, ")]
    [InlineData("[1, 2]")]
    [InlineData("{ \"model_type\": \"gpt2\", \"hidden_size\": 768 }")]
    [InlineData("{ \"hidden_size\": 768, \"num_hidden_layers\": 12, \"num_attention_heads\": 12, \"intermediate_size\": 3072, \"vocab_size\": 30522 }")]
    [InlineData("{ \"hidden_size\": \"big\", \"num_hidden_layers\": 12, \"num_attention_heads\": 12, \"intermediate_size\": 3072, \"vocab_size\": 30522, \"max_position_embeddings\": 512 }")]
    [InlineData("{ \"hidden_size\": 770, \"num_hidden_layers\": 12, \"num_attention_heads\": 12, \"intermediate_size\": 3072, \"vocab_size\": 30522, \"max_position_embeddings\": 512 }")]
    [InlineData("{ \"hidden_size\": -768, \"num_hidden_layers\": 12, \"num_attention_heads\": 12, \"intermediate_size\": 3072, \"vocab_size\": 30522, \"max_position_embeddings\": 512 }")]
    public void A_malformed_config_is_a_one_line_user_error(string json)
    {
        var error = Assert.Throws<UserInputException>(() => Source.Resolve(WriteConfig(json)));
        Assert.DoesNotContain('\n', error.Message);
    }

    [Theory]
    [InlineData("bert-huge")]
    [InlineData("/no/such/folder/config.json")]
    public void An_unknown_source_is_a_user_error(string name) => Assert.Throws<UserInputException>(() => Source.Resolve(name));
}
