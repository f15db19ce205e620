using System.Text.Json;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Ose.Models.Training;

/// <summary>
/// The state a run needs to resume: weights, optimizer moments and the loss of every step so far. Written to a
/// fresh folder that is then renamed over the previous one, so a kill at any moment leaves one whole checkpoint.
/// </summary>
public sealed class TrainingCheckpoint(string directory)
{
    private const string Folder = "checkpoint";
    private string Current => Path.Combine(directory, Folder);
    private string Previous => Path.Combine(directory, Folder + ".previous");

    public bool Exists => Directory.Exists(Current) || Directory.Exists(Previous);

    public void Save(nn.Module model, OptimizerHelper optimizer, IReadOnlyList<double> losses)
    {
        Directory.CreateDirectory(directory);
        string staging = Path.Combine(directory, $".{Folder}.{Guid.NewGuid():N}");
        Directory.CreateDirectory(staging);
        model.save(Path.Combine(staging, "model.bin"));
        optimizer.save_state_dict(Path.Combine(staging, "optimizer.bin"));
        File.WriteAllText(Path.Combine(staging, "losses.json"), JsonSerializer.Serialize(losses));
        // Two renames: the old checkpoint survives until the new one is in place.
        if (Directory.Exists(Previous)) Directory.Delete(Previous, recursive: true);
        if (Directory.Exists(Current)) Directory.Move(Current, Previous);
        Directory.Move(staging, Current);
        if (Directory.Exists(Previous)) Directory.Delete(Previous, recursive: true);
    }

    /// <summary>Restores model and optimizer and returns the losses so far, or null when there is no checkpoint.</summary>
    public IReadOnlyList<double>? TryLoad(nn.Module model, OptimizerHelper optimizer)
    {
        string? folder = Directory.Exists(Current) ? Current : Directory.Exists(Previous) ? Previous : null;
        if (folder is null) return null;
        try
        {
            model.load(Path.Combine(folder, "model.bin"), strict: true);
            optimizer.load_state_dict(Path.Combine(folder, "optimizer.bin"));
            return JsonSerializer.Deserialize<double[]>(File.ReadAllText(Path.Combine(folder, "losses.json")))
                ?? throw new InvalidDataException("losses.json is empty");
        }
        catch (Exception e) when (e is IOException or InvalidDataException or JsonException or ArgumentException or InvalidOperationException)
        {
            throw new UserInputException($"checkpoint {folder} is corrupt or belongs to another architecture: {e.Message}");
        }
    }
}
