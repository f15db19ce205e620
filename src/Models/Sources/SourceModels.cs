using TorchSharp;
using static TorchSharp.torch;

namespace Ose.Models.Sources;

/// <summary>Our TorchSharp encoder holding a source's weights.</summary>
public static class SourceModels
{
    /// <summary>BertModel with the source's weights, in eval mode.</summary>
    /// <param name="dropout">0 for inference and distillation: the weights are what is compared, not a training recipe.</param>
    public static BertModel Encoder(SourceWeights weights, Device device, double dropout = 0)
    {
        var model = new BertModel(weights.Config with { Dropout = dropout }, device);
        CopyInto(model, weights.Tensors, prefix: "");
        model.eval();
        return model;
    }

    /// <summary>BertForMaskedLM with the source's encoder and masked-LM head, in eval mode.</summary>
    public static BertForMaskedLM MaskedLm(SourceWeights weights, Device device, double dropout = 0)
    {
        if (!weights.HasMaskedLmHead) throw new UserInputException("this source has no masked-LM head (cls.predictions)");
        var model = new BertForMaskedLM(weights.Config with { Dropout = dropout }, device);
        CopyInto(model, weights.Tensors, prefix: "bert.");
        model.eval();
        return model;
    }

    /// <summary>
    /// Copies every tensor the module has from <paramref name="tensors"/>, whose names carry no <paramref name="prefix"/>
    /// (the encoder's) or begin with <c>cls.</c> (the head's).
    /// </summary>
    public static void CopyInto(nn.Module module, IReadOnlyDictionary<string, Tensor> tensors, string prefix)
    {
        using var _ = no_grad();
        foreach (var (name, target) in module.state_dict())
        {
            string key = name.StartsWith(prefix, StringComparison.Ordinal) ? name[prefix.Length..] : name;
            if (!tensors.TryGetValue(key, out var value))
                throw new ArgumentException($"no tensor '{key}' for the model's '{name}'");
            target.copy_(value);
        }
    }
}
