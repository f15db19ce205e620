using System.CommandLine;
using System.Globalization;
using Ose.Tasks.Data;
using Ose.Training.Distil;
using Ose.Models.Sources;
using Ose.Spaces;

namespace Ose.Cli;

/// <summary>
/// <c>ose compare-errors</c>: for a source with weights, the distillation error against training from scratch for the
/// same time, each ranked against distillation ten times longer (docs/real-source.md). Resumes from its CSV.
/// </summary>
public static class CompareErrorsCommand
{
    private static readonly Option<string> SourceOption = new("--source") { Description = "a source with weights", DefaultValueFactory = _ => "minilm" };
    private static readonly Option<string> Space = new("--space") { Description = "the candidates compared: a space name or JSON file", Required = true };
    private static readonly Option<double> Epsilon = new("--epsilon") { Description = "ε of the two proxies; the reference distils 10× longer", DefaultValueFactory = _ => 0.1 };
    private static readonly Option<string> Out = new("--out") { Description = "folder for comparison.csv and the trainings; running again resumes", Required = true };

    public static Command Create()
    {
        var command = new Command("compare-errors", "distillation error vs training from scratch for the same time, each against distillation 10× longer");
        foreach (var option in new Option[] { SourceOption, Space, Epsilon, Out, CommonOptions.Seed, CommonOptions.Data })
            command.Add(option);
        command.SetAction((parse, cancellation) =>
        {
            var data = DataDirectory.Resolve(parse.GetValue(CommonOptions.Data));
            var source = WeightedSource.Resolve(parse.GetValue(SourceOption)!, data);
            var candidates = SearchSpace.Resolve(parse.GetValue(Space)).Candidates;
            var comparison = new ErrorComparison(source, data, parse.GetValue(Epsilon), parse.GetValue(Out)!, parse.GetValue(CommonOptions.Seed));
            string F(double x, string format) => x.ToString(format, CultureInfo.InvariantCulture);
            var results = comparison.Run(candidates, c => Console.WriteLine(
                $"{c.ξ.ToShortString(),-16} distilled {F(c.Distilled, "F4")} ({F(c.DistilledSeconds, "F1")} s)  scratch {F(c.Scratch, "F3")} ({F(c.ScratchSeconds, "F1")} s, {c.ScratchSteps} steps)  10× {F(c.Reference, "F4")} ({F(c.ReferenceSeconds, "F1")} s)"),
                cancellation);
            Console.WriteLine();
            Console.WriteLine($"{"error",-22} {"s/evaluation",12} {"violations",12} {"Spearman vs 10×",16}");
            foreach (var f in ErrorComparison.Figures(results))
                Console.WriteLine($"{f.Name,-22} {F(f.MeanSeconds, "F1"),12} {$"{f.Violations}/{f.Pairs}",12} {F(f.Spearman, "F3"),16}");
            return Task.FromResult(0);
        });
        return command;
    }
}
