using System.Text.Json;
using Ose.IO;
using Ose.Models.Checkpoints;
using Ose.Models;
using Ose.Tasks.Data;
using Ose.Tasks;
using static TorchSharp.torch;

namespace Ose.Cli;

/// <summary>What the text commands share: finding a task, a pretrained student and Θ from what the user typed.</summary>
static class TextSetup
{
    /// <summary>A classification task of the prepared data (SENT, GENRE, SUPERSENSE, INTENT) or a folder.</summary>
    public static TextTask LoadTask(string nameOrPath, DataDirectory data)
    {
        string folder = data.TaskFolder(nameOrPath);
        return SlotTask.IsSlotTask(folder)
            ? throw new UserInputException($"{folder} is a slot task ({SlotTask.SlotsFile}); this command needs a sentence classification task")
            : TextTask.Load(folder);
    }

    private static readonly JsonSerializerOptions ThetaJson = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
    };

    /// <summary>Θ from a JSON file: <c>{"theta": [{"learning_rate": 1e-4, "steps": 150, ...}, ...]}</c>.</summary>
    public static IReadOnlyList<HyperParameters> LoadΘ(string path)
    {
        if (!File.Exists(path)) throw new UserInputException($"Θ file not found: {path}");
        var Θ = StrictJson.Deserialize<ΘFile>(File.ReadAllText(path), ThetaJson, $"Θ file {path}").Theta
            ?? throw new UserInputException($"{path}: expected {{\"theta\": [ ... ]}}");
        foreach (var θ in Θ) θ.Validate();
        return Θ;
    }

    private sealed record ΘFile(HyperParameters[] Theta);
}
