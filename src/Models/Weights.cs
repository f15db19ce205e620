using static TorchSharp.torch;

namespace Ose.Models;

/// <summary>What every model here needs done to its weights as a whole.</summary>
public static class Weights
{
    /// <summary>Number of trainable scalars; with BertModel it follows the HF BertModel convention of DESIGN 2.2.</summary>
    public static long ParameterCount(this nn.Module module) => module.parameters().Sum(p => p.numel());

    /// <summary>
    /// Clamps every parameter to [−c, c]. The OSE papers assume compact weights (the ABnC property, DESIGN 2.1) and
    /// obtain them by clipping after each optimiser step; call this right after optimizer.step().
    /// </summary>
    public static void ClipWeights(this nn.Module module, double c)
    {
        if (!(c > 0)) throw new ArgumentException($"the clipping bound must be positive, not {c}");
        using var _ = no_grad();
        foreach (var p in module.parameters()) p.clamp_(-c, c);
    }

    /// <summary>Writes the weights in TorchSharp's format: to a temporary file, then renamed, so no file is half-written.</summary>
    public static void SaveWeights(this nn.Module module, string path)
    {
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        try
        {
            module.save(temporary);
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary); // nothing left when the move succeeded
        }
    }

    /// <summary>Reads weights written by <see cref="SaveWeights"/>; every name and shape must match the model.</summary>
    public static void LoadWeights(this nn.Module module, string path) => module.load(path, strict: true);
}
