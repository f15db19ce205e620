using Ose.Spaces;

namespace Ose.Tests.Spaces;

public sealed class SearchSpaceTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("ose-space-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void The_default_bort_space_has_300_candidates_all_with_A_dividing_H()
    {
        var space = SearchSpace.Resolve(null);
        Assert.Equal("bort", space.Name);
        Assert.Equal(300, space.Candidates.Count);
        Assert.All(space.Candidates, ξ => Assert.Equal(0, ξ.H % ξ.A));
        Assert.Equal(300, space.Candidates.Distinct().Count());
    }

    [Fact]
    public void A_space_file_keeps_exactly_the_combinations_where_A_divides_H()
    {
        string path = Path.Combine(directory, "space.json");
        File.WriteAllText(path, """{ "D": [1, 2], "A": [3, 4], "H": [12, 8], "I": [5] }""");
        var space = SearchSpace.Resolve(path);
        // (3,12) (4,12) (4,8) divide; (3,8) does not: 3 pairs × 2 depths × 1 width.
        Assert.Equal(6, space.Candidates.Count);
        Assert.DoesNotContain(space.Candidates, ξ => ξ is { A: 3, H: 8 });
    }

    [Theory]
    [InlineData("""{ "D": [], "A": [4], "H": [8], "I": [5] }""")]
    [InlineData("""{ "A": [4], "H": [8], "I": [5] }""")]
    [InlineData("""{ "D": [1], "A": [3], "H": [8], "I": [5] }""")]
    [InlineData("""{ "D": [1], "A": [0], "H": [8], "I": [5] }""")]
    [InlineData("""{ "D": [1], "A": [4], "H": [8], """)]
    public void An_impossible_or_malformed_space_is_a_user_error(string json)
    {
        string path = Path.Combine(directory, "space.json");
        File.WriteAllText(path, json);
        Assert.Throws<UserInputException>(() => SearchSpace.Resolve(path));
    }

    [Fact]
    public void A_missing_space_file_is_a_user_error() =>
        Assert.Throws<UserInputException>(() => SearchSpace.Resolve(Path.Combine(directory, "nope.json")));
}
