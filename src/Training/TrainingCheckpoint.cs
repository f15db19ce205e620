using System.Text.Json;
using Ose.IO;
using Ose.Models;
using Ose.Models.Checkpoints;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Ose.Training;

/// <summary>
/// The state a run needs to resume: the model's <c>config.json</c> and <c>training.json</c> (what it is and how it is
/// being trained), weights, optimizer moments and the loss of every step so far. Saved with <see cref="CrashSafe"/>, so
/// a kill at any moment leaves the previous checkpoint or the new one.
/// </summary>
public sealed class TrainingCheckpoint(string directory)
{
    public const string FolderName = "checkpoint";
    public const string WeightsFile = "model.bin";

    public string Folder => Path.Combine(directory, FolderName);

    public bool Exists
    {
        get
        {
            CrashSafe.Settle(Folder);
            return Directory.Exists(Folder);
        }
    }

    public void Save(nn.Module model, EncoderConfig config, TrainingRecord record, OptimizerHelper optimizer, IReadOnlyList<double> losses)
    {
        CrashSafe.WriteFolder(Folder, staging =>
        {
            StudentFolder.WriteConfig(config, "BertForMaskedLM", staging);
            record.Write(staging);
            model.save(Path.Combine(staging, WeightsFile));
            optimizer.save_state_dict(Path.Combine(staging, "optimizer.bin"));
            File.WriteAllText(Path.Combine(staging, "losses.json"), JsonSerializer.Serialize(losses));
        });
    }

    /// <summary>
    /// Restores model and optimizer and returns the losses so far, or null when there is no checkpoint. A checkpoint of
    /// another architecture or made with other settings is refused, naming the difference.
    /// </summary>
    public IReadOnlyList<double>? TryLoad(nn.Module model, EncoderConfig config, TrainingRecord record, OptimizerHelper optimizer)
    {
        if (!Exists) return null;
        var saved = StudentFolder.ReadConfig(Folder);
        if (saved != config)
            throw new UserInputException($"the checkpoint in {directory} holds {saved}, not {config}: use another output folder");
        var savedRecord = TrainingRecord.Read(Folder)
            ?? throw new UserInputException($"the checkpoint in {directory} records no training settings: use another output folder");
        if (savedRecord.DifferenceFrom(record) is { } difference)
            throw new UserInputException($"the checkpoint in {directory} cannot be resumed: {difference}; use another output folder");
        try
        {
            model.load(Path.Combine(Folder, WeightsFile), strict: true);
            optimizer.load_state_dict(Path.Combine(Folder, "optimizer.bin"));
            return JsonSerializer.Deserialize<double[]>(File.ReadAllText(Path.Combine(Folder, "losses.json")))
                ?? throw new InvalidDataException("losses.json is empty");
        }
        catch (Exception e) when (e is IOException or InvalidDataException or JsonException or ArgumentException or InvalidOperationException)
        {
            throw new UserInputException($"checkpoint {Folder} is corrupt: {e.Message}");
        }
    }
}
