using System.CommandLine;

namespace Ose.Cli.Tests;

public sealed class DurationsTests
{
    private static readonly Option<TimeSpan> Budget = new Option<TimeSpan>("--budget").ReadsDuration();

    private static ParseResult Parse(string value) => new RootCommand { Budget }.Parse(["--budget", value]);

    [Theory]
    [InlineData("90", 90)]
    [InlineData("90s", 90)]
    [InlineData("10m", 600)]
    [InlineData("1h30m", 5400)]
    [InlineData("1.5h", 5400)]
    public void Durations_are_read_as_people_write_them(string value, double seconds)
    {
        var parse = Parse(value);

        Assert.Empty(parse.Errors);
        Assert.Equal(TimeSpan.FromSeconds(seconds), Durations.Limit(parse.GetValue(Budget)));
    }

    [Fact]
    public void None_is_no_limit()
    {
        var parse = Parse("none");

        Assert.Empty(parse.Errors);
        Assert.Null(Durations.Limit(parse.GetValue(Budget)));
    }

    [Fact]
    public void The_longest_duration_a_TimeSpan_holds_is_read()
    {
        var parse = Parse("256204778h");

        Assert.Empty(parse.Errors);
        Assert.Equal(TimeSpan.FromHours(256204778), parse.GetValue(Budget));
    }

    [Theory]
    [InlineData("99999999999h")]
    [InlineData("256204779h")]
    [InlineData("256204778h48m6s")]
    [InlineData("999999999999999999999999m")]
    [InlineData("922337203686")]
    [InlineData("1e400")]
    [InlineData("Infinity")]
    public void A_duration_beyond_TimeSpan_is_a_parse_error_naming_the_option_and_the_limit(string value)
    {
        var parse = Parse(value);

        var error = Assert.Single(parse.Errors);
        Assert.Equal($"--budget must be at most 10,675,199 days, got '{value}'", error.Message);
    }

    [Theory]
    [InlineData("soon")]
    [InlineData("-5")]
    [InlineData("NaN")]
    [InlineData("10 minutes")]
    [InlineData("")]
    public void A_duration_that_cannot_be_read_is_a_parse_error_saying_how_to_write_one(string value)
    {
        var parse = Parse(value);

        var error = Assert.Single(parse.Errors);
        Assert.Equal($"--budget must be a duration such as 90s, 10m, 1h30m, or none, got '{value}'", error.Message);
    }
}
