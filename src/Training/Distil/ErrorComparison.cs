using Ose.Models;
using Ose.Models.Text;
using Ose.Training.Sources;
using System.Diagnostics;
using System.Globalization;
using MathNet.Numerics.Statistics;
using Ose.Tasks.Data;
using Ose.Models.Extraction;
using Ose.Models.Sources;
using Ose.Training;
using Ose.IO;
using static TorchSharp.torch;

namespace Ose.Training.Distil;

/// <summary>One candidate's three errors and what each cost.</summary>
/// <param name="Distilled">e(ξ) by distillation at ε.</param>
/// <param name="Scratch">e(ξ) by masked-LM training from scratch for about the distillation's time.</param>
/// <param name="Reference">e(ξ) by distillation ten times longer: what the two proxies are ranked against.</param>
public sealed record ComparedCandidate(Architecture ξ, double Distilled, double DistilledSeconds,
    double Scratch, double ScratchSeconds, int ScratchSteps, double Reference, double ReferenceSeconds);

/// <summary>How well one proxy error does: its cost, its monotonicity and how its ranking survives longer distillation.</summary>
/// <param name="Violations">Pairs ξ ≤ ξ' (every axis, ξ ≠ ξ') where e(ξ') &gt; e(ξ), out of <paramref name="Pairs"/>.</param>
public sealed record ProxyFigures(string Name, double MeanSeconds, int Violations, int Pairs, double Spearman);

/// <summary>
/// Which error ranks candidates of a source with weights better (docs/real-source.md): the distillation error at ε, or
/// the training-based error from scratch given the same time; both against distillation ten times longer. Results are
/// appended to a CSV as each candidate finishes, so a killed comparison resumes with the next candidate.
/// </summary>
public sealed class ErrorComparison(WeightedSource source, DataDirectory data, double epsilon, string folder, long seed = 0)
{
    public const string ResultsFile = "comparison.csv";
    private const string Header = "D,A,H,I,distilled,distilled_seconds,scratch,scratch_seconds,scratch_steps,reference,reference_seconds";

    public IReadOnlyList<ComparedCandidate> Run(IReadOnlyList<Architecture> candidates, Action<ComparedCandidate>? report = null,
        CancellationToken cancellation = default)
    {
        Directory.CreateDirectory(folder);
        var done = Load(Path.Combine(folder, ResultsFile));
        using var weights = source.ReadWeights();
        DistilledErrorSetup.RequireWithin(candidates, new Architecture(weights.Config.D, weights.Config.A, weights.Config.H, weights.Config.I));
        var corpus = SourceCorpus.Load(source, weights.Config, data, DistilledErrorSetup.SequenceLength);
        var importance = Importance.Measure(weights, CalibrationSample.Draw(corpus.Train, CalibrationSample.DefaultSequences, seed), corpus.Tokens.Pad);
        var budget = DistilledErrorSetup.Hyperparameters(epsilon);
        var longer = DistilledErrorSetup.Hyperparameters(epsilon, stepsFactor: 10);
        // Big enough for every batch of the longer budget: the source then runs once per batch for the whole comparison.
        using var teacher = new TeacherOutputs(weights, CPU, cacheBytes: (long)longer.Steps * longer.BatchSize * longer.MaxLength * weights.Config.H * sizeof(float));
        DistilledError Distilled(HyperParameters θ, string work) => new(weights, importance, teacher, corpus.Tokens, corpus.Train, corpus.Dev,
            [θ], CPU, Path.Combine(folder, work), "comparison", seed);

        // Untimed: the source's outputs for every batch, so that no candidate's time includes them.
        var smallest = candidates.MinBy(ξ => Ose.Costs.ParameterCount.Of(ξ, new FixedShape(weights.Config.V, weights.Config.S, weights.Config.T, false)).Total);
        if (candidates.Any(ξ => !done.ContainsKey(ξ))) Distilled(longer, "warm-up").Evaluate(smallest, cancellation);

        var results = new List<ComparedCandidate>();
        foreach (var ξ in candidates)
        {
            cancellation.ThrowIfCancellationRequested();
            if (!done.TryGetValue(ξ, out var result))
            {
                var (distilled, distilledSeconds) = Timed(() => Distilled(budget, "distilled").Evaluate(ξ, cancellation));
                int steps = ScratchSteps(ξ, Shape(weights, corpus), corpus, distilledSeconds);
                var (scratch, scratchSeconds) = Timed(() => new TrainedError(Shape(weights, corpus), corpus.Tokens, corpus.Train, corpus.Dev,
                    [Scratch(steps)], CPU, Path.Combine(folder, "scratch"), corpus.Identity, seed).Evaluate(ξ, cancellation));
                var (reference, referenceSeconds) = Timed(() => Distilled(longer, "reference").Evaluate(ξ, cancellation));
                result = new ComparedCandidate(ξ, distilled, distilledSeconds, scratch, scratchSeconds, steps, reference, referenceSeconds);
                Append(Path.Combine(folder, ResultsFile), result);
            }
            results.Add(result);
            report?.Invoke(result);
        }
        return results;
    }

    /// <summary>The three errors' figures: the two proxies and the reference itself (its own monotonicity).</summary>
    public static IReadOnlyList<ProxyFigures> Figures(IReadOnlyList<ComparedCandidate> results)
    {
        double[] reference = results.Select(r => r.Reference).ToArray();
        ProxyFigures Of(string name, Func<ComparedCandidate, double> error, Func<ComparedCandidate, double> seconds)
        {
            var (violations, pairs) = Monotonicity(results.Select(r => (r.ξ, error(r))).ToArray());
            return new ProxyFigures(name, results.Average(seconds), violations, pairs,
                Correlation.Spearman(results.Select(error), reference));
        }
        return
        [
            Of("distilled at ε", r => r.Distilled, r => r.DistilledSeconds),
            Of("scratch, same time", r => r.Scratch, r => r.ScratchSeconds),
            Of("distilled 10× longer", r => r.Reference, r => r.ReferenceSeconds),
        ];
    }

    /// <summary>Pairs ξ ≤ ξ' on every axis (ξ ≠ ξ') and how many of them have e(ξ') &gt; e(ξ): larger doing worse.</summary>
    public static (int Violations, int Pairs) Monotonicity(IReadOnlyList<(Architecture ξ, double Error)> errors)
    {
        int violations = 0, pairs = 0;
        foreach (var (small, eSmall) in errors)
            foreach (var (large, eLarge) in errors)
            {
                if (small == large || !large.Dominates(small)) continue;
                pairs++;
                if (eLarge > eSmall) violations++;
            }
        return (violations, pairs);
    }

    /// <summary>Steps of scratch training that take about <paramref name="seconds"/>: a few steps timed after one warm-up step.</summary>
    private int ScratchSteps(Architecture ξ, FixedShape shape, PretrainingCorpus corpus, double seconds)
    {
        const int probe = 4;
        var times = new List<TimeSpan>();
        var clock = Stopwatch.StartNew();
        manual_seed(seed);
        using var model = new BertForMaskedLM(EncoderConfig.From(ξ, shape), CPU);
        new Pretrainer(model, corpus.Tokens, Scratch(probe + 1), seed, CPU)
            .Train(corpus.Train, checkpoint: null, progress: new Recorder(_ => times.Add(clock.Elapsed)));
        double perStep = (times[^1] - times[0]).TotalSeconds / probe;
        return Math.Max(1, (int)Math.Round(seconds / perStep));
    }

    /// <summary>Training-based error's θ (TrainedErrorSetup) with another number of steps.</summary>
    private static HyperParameters Scratch(int steps) =>
        new(TrainedErrorSetup.LearningRate, steps, TrainedErrorSetup.BatchSize, TrainedErrorSetup.SequenceLength);

    /// <summary>What training from scratch builds, as TrainedErrorSetup does: the source's positions and token types, our vocabulary, no pooler.</summary>
    private static FixedShape Shape(SourceWeights weights, PretrainingCorpus corpus) =>
        new(corpus.Tokens.VocabularySize, weights.Config.S, weights.Config.T, HasPooler: false);

    private static (double Value, double Seconds) Timed(Func<double> evaluate)
    {
        var clock = Stopwatch.StartNew();
        double value = evaluate();
        return (value, clock.Elapsed.TotalSeconds);
    }

    private static Dictionary<Architecture, ComparedCandidate> Load(string path)
    {
        if (!File.Exists(path)) return [];
        return File.ReadLines(path).Skip(1).Where(l => l.Length > 0).Select(line =>
        {
            var f = line.Split(',');
            double N(int k) => double.Parse(f[k], CultureInfo.InvariantCulture);
            var ξ = new Architecture((int)N(0), (int)N(1), (int)N(2), (int)N(3));
            return new ComparedCandidate(ξ, N(4), N(5), N(6), N(7), (int)N(8), N(9), N(10));
        }).ToDictionary(c => c.ξ);
    }

    private static void Append(string path, ComparedCandidate c)
    {
        string existing = File.Exists(path) ? File.ReadAllText(path) : Header + "\n";
        string line = string.Join(',', new object[] { c.ξ.D, c.ξ.A, c.ξ.H, c.ξ.I, c.Distilled, c.DistilledSeconds, c.Scratch, c.ScratchSeconds,
            c.ScratchSteps, c.Reference, c.ReferenceSeconds }.Select(v => Convert.ToString(v, CultureInfo.InvariantCulture)));
        CrashSafe.WriteText(path, existing + line + "\n");
    }

    private sealed class Recorder(Action<TrainingStep> report) : IProgress<TrainingStep>
    {
        public void Report(TrainingStep value) => report(value);
    }
}
