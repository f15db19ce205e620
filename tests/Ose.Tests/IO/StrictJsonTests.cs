using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Ose.IO;

namespace Ose.Tests.IO;

public sealed class StrictJsonTests
{
    private sealed record Config(string Source, int Steps = 1, Inner? Inner = null);

    private sealed record Inner(double Rate);

    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
        RespectRequiredConstructorParameters = true,
        RespectNullableAnnotations = true,
    };

    private static string Refusal(string json) =>
        Assert.Throws<UserInputException>(() => StrictJson.Deserialize<Config>(json, Options, "config c.json")).Message;

    [Fact]
    public void A_key_given_twice_is_refused_where_the_default_reader_keeps_the_last()
    {
        const string json = """{"source": "bert-mini", "source": "bert-large"}""";
        Assert.Equal("bert-large", JsonSerializer.Deserialize<Config>(json, Options)!.Source);

        Assert.Equal("malformed config c.json: the key \"source\" appears twice (line 1, column 34)", Refusal(json));
    }

    [Theory]
    [InlineData("""{"source": "a", "inner": {"rate": 1, "rate": 2}}""", "the key \"inner.rate\" appears twice")]
    [InlineData("""{"source": "a", "steps": "x"}""", "\"steps\" holds a value of the wrong kind")]
    [InlineData("""{"source": "a", "inner": {"rate": [1]}}""", "\"inner.rate\" holds a value of the wrong kind")]
    [InlineData("""{"source": "a", "stepz": 1}""", "unknown key \"stepz\"")]
    [InlineData("""{"steps": 1}""", "missing key \"source\"")]
    [InlineData("""{"source": "a", "inner": {}}""", "missing key \"inner.rate\"")]
    [InlineData("""{"source": null}""", "\"source\" must not be null")]
    [InlineData("""[1]""", "expected a JSON object")]
    [InlineData("""{"source": "a",""", "Expected start of a property name or value, but instead reached end of data")]
    [InlineData("""{"source": "a", "steps": NaN}""", "'N' is an invalid start of a value")]
    public void Every_error_names_the_key_and_the_place_in_the_file_and_no_dotnet_type(string json, string expected)
    {
        string message = Refusal(json);
        Assert.Contains(expected, message);
        Assert.Matches(@"\(line \d+, column \d+\)$", message);
        Assert.DoesNotMatch(@"System\.|Ose\.|StrictJsonTests|Config|Inner|`1", message);
    }

    [Fact]
    public void Comments_and_trailing_commas_that_people_write_in_configs_are_read()
    {
        var config = StrictJson.Deserialize<Config>("{\"source\": \"a\", // the source\n \"steps\": 3,}", Options, "c");
        Assert.Equal(new Config("a", 3), config);
    }

    private static Arbitrary<(string[] Keys, int Duplicate, int Depth)> Objects =>
        (from count in Gen.Choose(1, 6)
         from keys in Gen.Elements("a", "b", "c", "d", "e", "f", "g", "h").ArrayOf(count)
         from duplicate in Gen.Choose(0, count - 1)
         from depth in Gen.Choose(0, 3)
         select (keys.Distinct().ToArray(), duplicate, depth)).ToArbitrary();

    /// <summary>A duplicate at any depth of a document is found, and the message names it.</summary>
    [Property(MaxTest = 100)]
    public Property A_document_with_a_key_repeated_at_any_depth_is_refused_naming_the_key() =>
        Prop.ForAll(Objects, c =>
        {
            string key = c.Keys[Math.Min(c.Duplicate, c.Keys.Length - 1)];
            string members = string.Join(", ", c.Keys.Select(k => $"\"{k}\": 1").Append($"\"{key}\": 2"));
            string json = $"{{{members}}}";
            for (int d = 0; d < c.Depth; d++) json = $"{{\"level{d}\": {json}}}";
            var refused = Assert.Throws<UserInputException>(() => StrictJson.Parse(json, "d.json").Dispose());
            return refused.Message.Contains($"\"{key}\"") && refused.Message.StartsWith("malformed d.json: ", StringComparison.Ordinal);
        });
}
