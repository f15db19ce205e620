using System.CommandLine;
using System.Globalization;
using Ose.Costs;
using Ose.Tasks.Data;
using Ose.Models.Extraction;
using Ose.Training.Extraction;

namespace Ose.Cli;

/// <summary><c>ose extract</c>: cut ξ out of a source with weights and write it in Hugging Face layout.</summary>
public static class ExtractCommand
{
    private static readonly Option<string> SourceOption = new("--source")
    {
        Description = "a source with weights: minilm, an ONNX file (vocab.txt beside it) or a Hugging Face folder",
        Required = true,
    };
    private static readonly Option<string> Arch = new("--arch") { Description = "the sub-architecture ⟨D,A,H,I⟩, e.g. 4,8,256,1024; at most the source on every axis", Required = true };
    private static readonly Option<string> Out = new("--out") { Description = "folder to write config.json, model.safetensors, vocab.txt and extraction.json to", Required = true };
    private static readonly Option<int> Calibration = new("--calibration")
    {
        Description = $"corpus sequences of {ExtractionRun.SequenceLength} tokens importance is measured on",
        DefaultValueFactory = _ => CalibrationSample.DefaultSequences,
    };

    public static Command Create()
    {
        var command = new Command("extract", "cut a sub-network out of a source's weights: the layers, heads, neurons and channels that matter most on a calibration sample")
        {
            SourceOption, Arch, Out, Calibration, CommonOptions.Seed, CommonOptions.Data,
        };
        command.SetAction(parse =>
        {
            var ξ = Architecture.Parse(parse.GetValue(Arch)!, "--arch");
            var outcome = ExtractionRun.Execute(parse.GetValue(SourceOption)!, ξ, parse.GetValue(Out)!,
                DataDirectory.Resolve(parse.GetValue(CommonOptions.Data)), parse.GetValue(Calibration), parse.GetValue(CommonOptions.Seed));
            var plan = outcome.Plan;
            string N(long v) => v.ToString("N0", CultureInfo.InvariantCulture);
            Console.WriteLine($"extracted {ξ} from {outcome.Source.Name} {outcome.Source.Architecture}, importance measured on {N(outcome.Tokens)} tokens");
            Console.WriteLine($"  layers kept: {string.Join(' ', plan.Layers.Select(l => l.Layer))}");
            Console.WriteLine($"  heads kept per layer: {string.Join("; ", plan.Layers.Select(l => string.Join(' ', l.Heads.Select(h => h.Head))))}" +
                (plan.HeadSize == plan.SourceHeadSize ? "" : $" (head size {plan.SourceHeadSize} → {plan.HeadSize})"));
            Console.WriteLine($"  channels kept: {plan.Channels.Length} of {outcome.Source.Architecture.H}; neurons kept: {ξ.I} of {outcome.Source.Architecture.I} per layer");
            Console.WriteLine($"  parameters: {N(outcome.Parameters)} (p(ξ) = {N(ParameterCount.Of(ξ, outcome.Source.Shape).Total)})");
            Console.WriteLine($"wrote {Path.GetFullPath(outcome.Folder)}");
            return 0;
        });
        return command;
    }
}
