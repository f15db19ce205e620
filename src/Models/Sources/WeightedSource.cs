using Ose.Tasks.Data;

namespace Ose.Models.Sources;

public enum WeightsFormat { Onnx, HuggingFace }

/// <summary>
/// A source with weights (DESIGN §2.6): an ONNX file (with <c>vocab.txt</c> beside it), a Hugging Face folder, or a
/// packaged model prepared under the data directory (<c>minilm</c>).
/// </summary>
/// <param name="Location">The ONNX file or the checkpoint folder.</param>
/// <param name="DefaultSpace">The space searched when --space is not given; null for the toolkit's default.</param>
public sealed record WeightedSource(string Name, WeightsFormat Format, string Location, string? DefaultSpace)
{
    public SourceWeights ReadWeights() => Format == WeightsFormat.Onnx ? OnnxImport.Read(Location) : HuggingFaceImport.Read(Location);

    /// <summary>The WordPiece vocabulary the source was trained with: <c>vocab.txt</c> beside the ONNX file or in the folder.</summary>
    public string Vocabulary
    {
        get
        {
            string path = Path.Combine(Format == WeightsFormat.Onnx ? Path.GetDirectoryName(Path.GetFullPath(Location))! : Location, PackagedModels.VocabularyFile);
            return File.Exists(path) ? path : throw new UserInputException($"{Location}: no {PackagedModels.VocabularyFile} beside the model, which tokenizing text for it needs");
        }
    }

    /// <summary>The search's view of this source: its architecture and what every candidate inherits.</summary>
    public Source Describe(SourceWeights weights)
    {
        var c = weights.Config;
        return new Source(Name, new Architecture(c.D, c.A, c.H, c.I), new FixedShape(c.V, c.S, c.T, c.Pooler),
            DefaultSpace ?? Spaces.SearchSpace.DefaultName) { Weights = Location };
    }

    /// <summary>The weights of a source the search resolved (<see cref="Source.Weights"/>).</summary>
    public static WeightedSource At(Source source) =>
        source.Weights is { } location
            ? new WeightedSource(source.Name, Directory.Exists(location) ? WeightsFormat.HuggingFace : WeightsFormat.Onnx, location, source.DefaultSpace)
            : throw new UserInputException($"source {source.Name} has no weights");

    /// <summary>A packaged model's name, a path to an ONNX file or a Hugging Face folder; null for anything else.</summary>
    public static WeightedSource? TryResolve(string nameOrPath, DataDirectory data)
    {
        if (PackagedModels.Find(nameOrPath) is { } packaged)
        {
            if (!PackagedModels.IsPrepared(data, packaged))
                throw new UserInputException($"source {packaged.Name} is not prepared in {PackagedModels.Folder(data, packaged.Name)}: run ./ose data prepare");
            return new WeightedSource(packaged.Name, WeightsFormat.Onnx,
                Path.Combine(PackagedModels.Folder(data, packaged.Name), PackagedModels.ModelFile), packaged.Space);
        }
        if (nameOrPath.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase))
            return File.Exists(nameOrPath)
                ? new WeightedSource(Path.GetFileNameWithoutExtension(nameOrPath), WeightsFormat.Onnx, nameOrPath, null)
                : throw new UserInputException($"ONNX file not found: {nameOrPath}");
        if (Directory.Exists(nameOrPath))
        {
            if (!HuggingFaceImport.IsCheckpointFolder(nameOrPath))
                throw new UserInputException($"{nameOrPath} is a folder but not a Hugging Face checkpoint: it needs {HuggingFaceImport.ConfigFile} and model.safetensors");
            var config = HuggingFaceImport.ReadConfig(nameOrPath);
            return new WeightedSource(config.Name, WeightsFormat.HuggingFace, nameOrPath,
                config.DefaultSpace == Spaces.SearchSpace.DefaultName ? null : config.DefaultSpace);
        }
        return null;
    }

    public static WeightedSource Resolve(string nameOrPath, DataDirectory data) =>
        TryResolve(nameOrPath, data) ?? throw new UserInputException(
            $"source '{nameOrPath}' has no weights: use {string.Join(", ", PackagedModels.Pinned.Select(m => m.Name))}, an ONNX file or a Hugging Face folder (config.json + model.safetensors)");

    /// <summary>Any source the search accepts: one with weights (read to learn its architecture), else a config-only preset or config.json.</summary>
    public static Source ResolveAny(string nameOrPath, DataDirectory data)
    {
        if (TryResolve(nameOrPath, data) is not { } weighted) return ResolveConfigOnly(nameOrPath);
        using var weights = weighted.ReadWeights();
        return weighted.Describe(weights);
    }

    /// <summary><see cref="Source.Resolve"/>, with an error for an unknown name that lists the sources with weights too.</summary>
    public static Source ResolveConfigOnly(string nameOrPath)
    {
        if (nameOrPath.Contains('/') || nameOrPath.EndsWith(".json", StringComparison.OrdinalIgnoreCase) || Source.PresetNames.Contains(nameOrPath))
            return Source.Resolve(nameOrPath);
        var names = Source.PresetNames.Concat(PackagedModels.Pinned.Select(m => m.Name)).Order(StringComparer.Ordinal);
        throw new UserInputException($"unknown source '{nameOrPath}': use one of {string.Join(", ", names)}, a config.json, an ONNX file or a Hugging Face folder");
    }
}
