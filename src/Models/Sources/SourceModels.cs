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
        CopyInto(model, weights.Tensors, name => name);
        model.eval();
        return model;
    }

    /// <summary>BertForMaskedLM with the source's encoder and masked-LM head, in eval mode.</summary>
    public static BertForMaskedLM MaskedLm(SourceWeights weights, Device device, double dropout = 0)
    {
        if (!weights.HasMaskedLmHead) throw new UserInputException("this source has no masked-LM head (cls.predictions)");
        var model = new BertForMaskedLM(weights.Config with { Dropout = dropout }, device);
        CopyInto(model, weights.Tensors, name => name.StartsWith("bert.", StringComparison.Ordinal) ? name[5..] : name);
        model.eval();
        return model;
    }

    /// <summary>The source's masked-LM head alone (HF's <c>cls</c>): its decoder is the word embeddings the caller passes.</summary>
    public static MaskedLmHead Head(SourceWeights weights, Device device)
    {
        if (!weights.HasMaskedLmHead) throw new UserInputException("this source has no masked-LM head (cls.predictions)");
        var head = new MaskedLmHead(weights.Config, device);
        CopyInto(head, weights.Tensors, name => "cls." + name);
        return head;
    }

    /// <summary>Copies every tensor the module has from <paramref name="tensors"/>, where its name is <paramref name="tensorName"/>(the module's).</summary>
    public static void CopyInto(nn.Module module, IReadOnlyDictionary<string, Tensor> tensors, Func<string, string> tensorName)
    {
        using var _ = no_grad();
        foreach (var (name, target) in module.state_dict())
        {
            string key = tensorName(name);
            if (!tensors.TryGetValue(key, out var value))
                throw new ArgumentException($"no tensor '{key}' for the model's '{name}'");
            target.copy_(value);
        }
    }
}
