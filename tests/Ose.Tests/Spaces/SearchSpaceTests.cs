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

    [Fact]
    public void An_axis_may_be_a_range_with_a_step_and_lists_and_ranges_mix()
    {
        string path = Path.Combine(directory, "space.json");
        File.WriteAllText(path, """{ "D": {"from": 1, "to": 24}, "A": [4, 128], "H": {"from": 64, "to": 1024, "step": 64}, "I": {"from": 128, "to": 4096, "step": 128} }""");
        var space = SearchSpace.Resolve(path);

        Assert.Equal(Enumerable.Range(1, 24), space.D);
        Assert.Equal(Enumerable.Range(1, 16).Select(n => 64 * n), space.H);
        Assert.Equal(32, space.I.Count);
        // A = 128 divides H = 64k only for even k: 16 + 8 (A, H) pairs.
        Assert.Equal(24 * (16 + 8) * 32, space.Candidates.Count);
    }

    [Theory]
    [InlineData("""{ "D": {"from": 4, "to": 2}, "A": [4], "H": [8], "I": [5] }""")]
    [InlineData("""{ "D": {"from": 1, "to": 4, "step": 0}, "A": [4], "H": [8], "I": [5] }""")]
    [InlineData("""{ "D": {"to": 4}, "A": [4], "H": [8], "I": [5] }""")]
    [InlineData("""{ "D": {"from": 1, "to": 2000000000}, "A": [4], "H": [8], "I": [5] }""")]
    [InlineData("""{ "D": [1.5], "A": [4], "H": [8], "I": [5] }""")]
    [InlineData("""{ "D": "12", "A": [4], "H": [8], "I": [5] }""")]
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
