using System.Globalization;
using System.Text.Json;
using Ose.IO;

namespace Ose.Studies;

/// <summary>
/// What one stage of a study found, written to <c>stages/NAME.json</c> when the stage finishes (so a re-run skips it).
/// Figures are what the same config on the same machine must reproduce exactly (losses, scores, counts, the choice);
/// measurements depend on the machine's load (wall times, latencies) and are reported but not compared.
/// </summary>
public sealed class StageRecord
{
    public SortedDictionary<string, string> Figures { get; init; } = new(StringComparer.Ordinal);
    public SortedDictionary<string, string> Measurements { get; init; } = new(StringComparer.Ordinal);

    public void Figure(string key, double value) => Figures[key] = Format(value);
    public void Figure(string key, string value) => Figures[key] = value;
    public void Measurement(string key, double value) => Measurements[key] = Format(value);

    /// <summary>Round-trip precision: "identical" means identical to the last bit.</summary>
    public static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    public static double Read(IReadOnlyDictionary<string, string> values, string key) =>
        double.Parse(values[key], NumberStyles.Float, CultureInfo.InvariantCulture);

    public void Save(string path) => CrashSafe.WriteText(path, JsonSerializer.Serialize(this, JsonOptions));

    public static StageRecord Load(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<StageRecord>(File.ReadAllText(path), JsonOptions)
                ?? throw new UserInputException($"{path} is empty: delete it to run that stage again");
        }
        catch (JsonException e)
        {
            throw new UserInputException($"{path} is corrupt ({e.Message}): delete it to run that stage again");
        }
    }

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
}
