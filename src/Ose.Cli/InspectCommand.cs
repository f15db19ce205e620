using System.CommandLine;
using System.Globalization;
using Ose.Costs;
using Ose.Tasks.Data;
using Ose.Models.Sources;

namespace Ose.Cli;

/// <summary>
/// <c>ose inspect SOURCE [--verify]</c>: the source's architecture and ABnC parameter counts; for a source with weights,
/// the count of what was read; with --verify on an ONNX source, the comparison with ONNX Runtime (exit 1 when it fails).
/// </summary>
public static class InspectCommand
{
    private static readonly Argument<string> SourceArgument = new("source")
    {
        Description = $"a preset ({string.Join(", ", Source.PresetNames.Concat(PackagedModels.Pinned.Select(m => m.Name)).Order())}), a config.json, an ONNX file (vocab.txt beside it) or a Hugging Face folder",
    };
    private static readonly Option<bool> Verify = new("--verify")
    {
        Description = $"run the ONNX file in ONNX Runtime and in our encoder on real sentences; exit 1 unless max |Δ last_hidden_state| ≤ {OnnxRuntimeComparison.Tolerance:G1}",
    };

    public static Command Create()
    {
        var command = new Command("inspect", "a source's architecture and parameter counts; --verify checks an ONNX import against ONNX Runtime")
        {
            SourceArgument, Verify, CommonOptions.Data,
        };
        command.SetAction(Run);
        return command;
    }

    private static int Run(ParseResult parse)
    {
        string name = parse.GetValue(SourceArgument)!;
        var weighted = WeightedSource.TryResolve(name, DataDirectory.Resolve(parse.GetValue(CommonOptions.Data)));
        bool verify = parse.GetValue(Verify);
        if (weighted is null)
        {
            if (verify) throw new UserInputException($"--verify needs an ONNX source; '{name}' has no weights");
            Print(WeightedSource.ResolveConfigOnly(name), read: null);
            return 0;
        }
        using var weights = weighted.ReadWeights();
        var source = weighted.Describe(weights);
        Print(source, SourceWeights.EncoderNames(weights.Config).Sum(n => weights[n].numel()));
        Console.WriteLine($"masked-LM head: {(weights.HasMaskedLmHead ? "yes (cls.predictions)" : "no")}");
        if (!verify) return 0;
        if (weighted.Format != WeightsFormat.Onnx)
            throw new UserInputException($"--verify runs an ONNX file in ONNX Runtime; {weighted.Location} is a Hugging Face folder");

        var comparison = OnnxRuntimeComparison.Compare(weighted.Location, weights, weighted.Vocabulary);
        bool agrees = comparison.Agrees;
        string tolerance = OnnxRuntimeComparison.Tolerance.ToString("0e0", CultureInfo.InvariantCulture);
        string verdict = agrees ? $"≤ {tolerance}: verified" : $"> {tolerance}: NOT verified";
        Console.WriteLine(FormattableString.Invariant(
            $"{comparison.Runtime} vs our encoder on {comparison.Sequences} sequences (padded to {comparison.PaddedLength} tokens, {comparison.Tokens} real): max |Δ last_hidden_state| = {comparison.MaxAbsoluteDifference:0.00e0} over non-padded positions, {verdict}"));
        return agrees ? 0 : 1;
    }

    private static void Print(Source source, long? read)
    {
        var ξ = source.Architecture;
        var shape = source.Shape;
        var count = ParameterCount.Of(ξ, shape);
        string N(long v) => v.ToString("N0", CultureInfo.InvariantCulture);
        Console.WriteLine($"source {source.Name}{(source.Weights is { } w ? $" (weights: {w})" : " (config only: no weights)")}");
        Console.WriteLine($"architecture {ξ}, V {shape.V}, S {shape.S}, T {shape.T}, {(shape.HasPooler ? "with" : "no")} pooler; default space {source.DefaultSpace}");
        Console.WriteLine("parameters (Hugging Face BertModel convention):");
        Console.WriteLine($"  embeddings (A)  {N(count.Embeddings),12}");
        Console.WriteLine($"  blocks (Bⁿ)     {N(count.Blocks),12}  ({ξ.D} × {N(count.PerBlock)})");
        Console.WriteLine($"  pooler (C)      {N(count.Output),12}");
        Console.WriteLine($"  total           {N(count.Total),12}");
        if (read is { } r)
            Console.WriteLine($"weights read: {N(r)} parameters{(r == count.Total ? ", as counted" : $", NOT the {N(count.Total)} counted")}");
    }
}
