using System.Text.Json;
using Ose.IO;
using Ose.Models.Checkpoints;
using Ose.Models.Sources;
using static TorchSharp.torch;

namespace Ose.Models.Extraction;

/// <summary>
/// An extracted sub-network in Hugging Face layout: <c>config.json</c>, <c>model.safetensors</c> (BertModel's names, or
/// BertForMaskedLM's when the source has a masked-LM head), <c>vocab.txt</c>, and <c>extraction.json</c> saying what was
/// kept. Written with <see cref="CrashSafe.WriteFolder"/>: a crash leaves the previous folder or the new one.
/// </summary>
public static class ExtractedFolder
{
    public const string PlanFile = "extraction.json";

    public static void Write(SourceWeights weights, ExtractionPlan plan, string sourceName, string vocabulary, string folder)
    {
        RequireReplaceable(folder);
        try
        {
            CrashSafe.WriteFolder(folder, staging =>
            {
                bool head = weights.HasMaskedLmHead;
                StudentFolder.WriteConfig(weights.Config, head ? "BertForMaskedLM" : "BertModel", staging);
                using (nn.Module model = head ? SourceModels.MaskedLm(weights, CPU) : SourceModels.Encoder(weights, CPU))
                    SafeTensors.Write(model, Path.Combine(staging, StudentFolder.WeightsFile));
                File.Copy(vocabulary, Path.Combine(staging, PackagedModels.VocabularyFile));
                File.WriteAllText(Path.Combine(staging, PlanFile),
                    JsonSerializer.Serialize(new { source = sourceName, plan }, new JsonSerializerOptions { WriteIndented = true }));
            });
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UserInputException($"cannot write {folder}: {e.Message}");
        }
    }

    /// <summary>The output may be new, empty, or an earlier extraction; anything else is kept and is an error.</summary>
    private static void RequireReplaceable(string folder)
    {
        if (File.Exists(folder)) throw new UserInputException($"--out {folder} is a file: choose a folder");
        if (Directory.Exists(folder) && Directory.EnumerateFileSystemEntries(folder).Any() && !File.Exists(Path.Combine(folder, PlanFile)))
            throw new UserInputException($"--out {folder} exists and is not an earlier extraction: choose a new folder");
    }
}
