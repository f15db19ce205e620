using System.CommandLine;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Ose.Cli;

/// <summary>
/// Reads budgets written as people write them: <c>90s</c>, <c>10m</c>, <c>1h30m</c>, plain seconds, or <c>none</c>.
/// The option is read as the command line is parsed, so a duration that cannot be read, or is longer than a
/// <see cref="TimeSpan"/> holds, is one line naming the option and exit code 2 before anything runs.
/// </summary>
public static partial class Durations
{
    /// <summary>
    /// Makes <paramref name="option"/> read a duration, <c>none</c> as <see cref="Timeout.InfiniteTimeSpan"/>
    /// (System.CommandLine cannot take null from a custom parser of a <c>TimeSpan?</c>); anything unreadable or beyond
    /// <see cref="TimeSpan.MaxValue"/> is a parse error naming the option, the way the other options' ranges are checked.
    /// </summary>
    public static Option<TimeSpan> ReadsDuration(this Option<TimeSpan> option)
    {
        option.CustomParser = result =>
        {
            string token = result.Tokens[^1].Value;
            if (token == "none") return Timeout.InfiniteTimeSpan;
            if (TryParse(token, out TimeSpan duration, out string? problem)) return duration;
            result.AddError($"{option.Name} {problem}, got '{token}'");
            return default;
        };
        return option;
    }

    /// <summary>A budget as the search takes it: null for none.</summary>
    public static TimeSpan? Limit(TimeSpan duration) => duration == Timeout.InfiniteTimeSpan ? null : duration;

    /// <summary>The duration <paramref name="text"/> says, read for <paramref name="option"/>; unreadable is one line naming it.</summary>
    public static TimeSpan Parse(string text, string option) =>
        TryParse(text, out TimeSpan duration, out string? problem) ? duration : throw new UserInputException($"{option} {problem}, got '{text}'");

    /// <summary>The duration <paramref name="text"/> says, or false and what is wrong with it.</summary>
    public static bool TryParse(string text, out TimeSpan duration, out string? problem)
    {
        duration = default;
        problem = null;
        try
        {
            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds) && seconds >= 0)
            {
                duration = TimeSpan.FromSeconds(seconds);
                return true;
            }
            var match = DurationPattern().Match(text.Trim());
            if (!match.Success || match.Length == 0)
            {
                problem = "must be a duration such as 90s, 10m, 1h30m, or none";
                return false;
            }
            double Part(string unit) => match.Groups[unit].Success
                ? double.Parse(match.Groups[unit].Value, CultureInfo.InvariantCulture) : 0;
            duration = TimeSpan.FromHours(Part("h")) + TimeSpan.FromMinutes(Part("m")) + TimeSpan.FromSeconds(Part("s"));
            return true;
        }
        catch (OverflowException)
        {
            // TimeSpan.FromX and TimeSpan addition throw here, past TimeSpan.MaxValue (also for an infinite number).
            problem = $"must be at most {TimeSpan.MaxValue.Days.ToString("N0", CultureInfo.InvariantCulture)} days";
            return false;
        }
    }

    [GeneratedRegex(@"^(?:(?<h>\d+(?:\.\d+)?)h)?(?:(?<m>\d+(?:\.\d+)?)m)?(?:(?<s>\d+(?:\.\d+)?)s)?$")]
    private static partial Regex DurationPattern();
}
