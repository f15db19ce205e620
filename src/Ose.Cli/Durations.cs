using System.Globalization;
using System.Text.RegularExpressions;

namespace Ose.Cli;

/// <summary>Reads budgets written as people write them: <c>90s</c>, <c>10m</c>, <c>1h30m</c>, or plain seconds.</summary>
public static partial class Durations
{
    public static TimeSpan Parse(string text)
    {
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds) && seconds >= 0)
            return TimeSpan.FromSeconds(seconds);
        var match = DurationPattern().Match(text.Trim());
        if (!match.Success || match.Length == 0)
            throw new UserInputException($"cannot read duration '{text}': write e.g. 90s, 10m, 1h30m");
        double Part(string unit) => match.Groups[unit].Success
            ? double.Parse(match.Groups[unit].Value, CultureInfo.InvariantCulture) : 0;
        return TimeSpan.FromHours(Part("h")) + TimeSpan.FromMinutes(Part("m")) + TimeSpan.FromSeconds(Part("s"));
    }

    [GeneratedRegex(@"^(?:(?<h>\d+(?:\.\d+)?)h)?(?:(?<m>\d+(?:\.\d+)?)m)?(?:(?<s>\d+(?:\.\d+)?)s)?$")]
    private static partial Regex DurationPattern();
}
