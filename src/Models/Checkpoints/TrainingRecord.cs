using System.Text.Json;
using System.Text.Json.Serialization;
using Ose.IO;

namespace Ose.Models.Checkpoints;

/// <summary>
/// How the weights in a folder were made: the hyperparameters θ and the seed (<c>training.json</c>, beside the
/// Hugging Face <c>config.json</c> of every checkpoint and model folder). A run that finds a checkpoint made with
/// other settings refuses to resume it rather than mix two settings in one curve.
/// </summary>
public sealed record TrainingRecord(HyperParameters Hyperparameters, long Seed)
{
    public const string FileName = "training.json";

    /// <summary>Snake-case keys, as the Θ files and study configs write hyperparameters; unknown keys are refused.</summary>
    public static JsonSerializerOptions Json { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        WriteIndented = true,
    };

    public void Write(string folder) => CrashSafe.WriteText(Path.Combine(folder, FileName), JsonSerializer.Serialize(this, Json));

    /// <summary>The record of a folder, or null where it has none (folders written before records were kept).</summary>
    public static TrainingRecord? Read(string folder)
    {
        string path = Path.Combine(folder, FileName);
        if (!File.Exists(path)) return null;
        try
        {
            return JsonSerializer.Deserialize<TrainingRecord>(File.ReadAllText(path), Json)
                ?? throw new UserInputException($"{path} is empty");
        }
        catch (JsonException e)
        {
            throw new UserInputException($"malformed {path}: {e.Message}");
        }
    }

    /// <summary>Where this record differs from <paramref name="wanted"/>, in words; null when they agree.</summary>
    public string? DifferenceFrom(TrainingRecord wanted) =>
        this == wanted ? null : $"it was made with seed {Seed}, {Hyperparameters}; this run asks for seed {wanted.Seed}, {wanted.Hyperparameters}";
}
