using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Ose.Cli;

/// <summary>
/// The ranges of numeric options, checked as the command line is parsed, before anything is read or written: a value out
/// of range, NaN or infinite is one line naming the option. Values that do not parse at all are said in words too, not
/// in .NET type names (<see cref="Describe"/>).
/// </summary>
static partial class OptionRules
{
    public static Option<int> AtLeast(this Option<int> option, int minimum) =>
        option.Require(token => WholeNumber(token) is { } v ? (true, v) : (false, 0), v => v >= minimum, $"a whole number from {minimum} to {int.MaxValue}");

    public static Option<int?> AtLeast(this Option<int?> option, int minimum) =>
        option.Require(token => WholeNumber(token) is { } v ? (true, v) : (false, null), v => v >= minimum, $"a whole number from {minimum} to {int.MaxValue}");

    /// <summary>A finite number in the interval from <paramref name="low"/> to <paramref name="high"/>, each end included or not.</summary>
    public static Option<double> Within(this Option<double> option, double low, double high, bool includeLow = true, bool includeHigh = true) =>
        option.Require(token => Number(token) is { } v ? (true, v) : (false, 0), v => double.IsFinite(v) && (includeLow ? v >= low : v > low) && (includeHigh ? v <= high : v < high),
            $"a number in {(includeLow ? "[" : "(")}{Format(low)}, {Format(high)}{(includeHigh ? "]" : ")")}");

    public static Option<double> Positive(this Option<double> option) =>
        option.Require(token => Number(token) is { } v ? (true, v) : (false, 0), v => double.IsFinite(v) && v > 0, "a positive finite number");

    public static Option<double?> Positive(this Option<double?> option) =>
        option.Require(token => Number(token) is { } v ? (true, v) : (false, null), v => double.IsFinite(v!.Value) && v > 0, "a positive finite number");

    /// <summary>Parses the option's token and checks it; a token that does not parse or breaks the rule is one error naming the option.</summary>
    private static Option<T> Require<T>(this Option<T> option, Func<string, (bool Parsed, T Value)> parse, Func<T, bool> holds, string rule)
    {
        option.CustomParser = result =>
        {
            string token = result.Tokens[^1].Value;
            var (parsed, value) = parse(token);
            if (!parsed)
            {
                result.AddError($"{option.Name} must be {rule}, got '{token}'");
                return default!;
            }
            if (!holds(value)) result.AddError($"{option.Name} must be {rule}, got {token}");
            return value;
        };
        return option;
    }

    private static int? WholeNumber(string token) =>
        int.TryParse(token, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int value) ? value : null;

    private static double? Number(string token) =>
        double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) ? value : null;

    /// <summary>A parse error as the user should read it: "--steps expects a whole number ..., got '9999999999'".</summary>
    public static string Describe(ParseError error) =>
        Unparsable().Match(error.Message) is { Success: true } m
            ? $"{m.Groups["option"].Value} expects {Kind(m.Groups["type"].Value)}, got '{m.Groups["value"].Value}'"
            : OneLine(error.Message);

    /// <summary>System.CommandLine lists the allowed values of a restricted option one per line; the error stays one line.</summary>
    private static string OneLine(string message)
    {
        var lines = message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.Length == 1 ? lines[0] : $"{lines[0]} {string.Join(", ", lines[1..])}";
    }

    private static string Kind(string type) =>
        type.Contains("Int32", StringComparison.Ordinal) ? $"a whole number up to {int.MaxValue}"
        : type.Contains("Int64", StringComparison.Ordinal) ? $"a whole number up to {long.MaxValue}"
        : type.Contains("Double", StringComparison.Ordinal) ? "a number"
        : type.Contains("Boolean", StringComparison.Ordinal) ? "true or false"
        : "another kind of value";

    private static string Format(double x) => x.ToString("G", CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^Cannot parse argument '(?<value>.*)' for (?:option|command) '(?<option>[^']*)' as expected type '(?<type>[^']*)'")]
    private static partial Regex Unparsable();
}
