using System.Globalization;
using System.Text;
using Ose.IO;
using Ose.Models;
using Ose.Models.Extraction;
using Ose.Models.Sources;
using Ose.Reporting;
using Ose.Tasks.Data;
using Ose.Training.Sources;
using static TorchSharp.torch;

namespace Ose.Training.Distil;

/// <summary>The held-out distillation score after a number of steps.</summary>
public sealed record DistillationPoint(int Step, DistillationScore Score);

/// <summary>What a distillation run did: its held-out curve and the student it wrote.</summary>
public sealed record DistillationOutcome(EncoderConfig Config, IReadOnlyList<DistillationPoint> Curve, string ModelFolder);

/// <summary>
/// A student that starts from the source's own weights (<c>ose pretrain --teacher SOURCE --init extract</c>): ξ is cut
/// out of the source (<see cref="Extractor"/>, importance measured once on the corpus and kept in the run folder) and
/// distilled from it as the search's distillation error does (<see cref="Distiller"/>), for as long as asked. The
/// held-out score is measured every <c>evaluateEvery</c> steps into <c>distil.csv</c>; checkpoints sit at the same
/// steps, so running it again resumes on the same curve. The student is written as an extracted folder (Hugging Face
/// BertModel, <c>vocab.txt</c>, <c>extraction.json</c>) in <c>model/</c>, which `ose finetune` and `ose agora` take.
/// </summary>
public static class DistillationRun
{
    public const string CurveFile = "distil.csv";
    public const string ImportanceFile = "importance.json";

    public static DistillationOutcome Execute(WeightedSource source, Architecture ξ, DataDirectory data, HyperParameters θ, long seed,
        int evaluateEvery, Device device, string outFolder, IProgress<TrainingStep>? progress = null, CancellationToken cancellation = default)
    {
        θ.Validate();
        if (evaluateEvery < 1) throw new ArgumentOutOfRangeException(nameof(evaluateEvery));
        var run = RunDirectory.Prepare(outFolder);
        using var weights = source.ReadWeights();
        ExtractionPlan.RequireWithin(ξ, weights.Config);
        var corpus = SourceCorpus.Load(source, weights.Config, data, θ.MaxLength);
        var importance = Importance.TryLoad(run.File(ImportanceFile));
        if (importance is null)
        {
            importance = Importance.Measure(weights, CalibrationSample.Draw(corpus.Train, CalibrationSample.DefaultSequences, seed), corpus.Tokens.Pad);
            importance.Save(run.File(ImportanceFile));
        }
        var plan = ExtractionPlan.For(importance, weights.Config, ξ);
        using var extracted = Extractor.Extract(weights, plan, seed);
        manual_seed(seed);
        using var student = new DistillationStudent(extracted, plan, weights.Config.H, device);
        using var teacher = new TeacherOutputs(weights, device);
        var distiller = new Distiller(student, teacher, corpus.Tokens, θ, seed, device);
        var checkpoint = new TrainingCheckpoint(run.Path);

        var curve = ReadCurve(run.File(CurveFile));
        for (int step = 0; ; step = Math.Min(step + evaluateEvery, θ.Steps))
        {
            if (step > 0) distiller.Train(corpus.Train, checkpoint, evaluateEvery, progress, cancellation, untilStep: step);
            if (!curve.Any(p => p.Step == step))
            {
                curve.Add(new DistillationPoint(step, distiller.Evaluate(corpus.Dev)));
                CrashSafe.WriteText(run.File(CurveFile), Csv(curve));
            }
            if (step == θ.Steps) break;
        }

        string modelFolder = run.File(PretrainingRun.ModelFolder);
        var tensors = student.Encoder.state_dict().ToDictionary(p => p.Key, p => p.Value.detach().cpu());
        using var distilled = new SourceWeights(extracted.Config, tensors, modelFolder);
        ExtractedFolder.Write(distilled, plan, source.Name, source.Vocabulary, modelFolder);
        return new DistillationOutcome(extracted.Config, curve, modelFolder);
    }

    private static string Csv(IEnumerable<DistillationPoint> curve)
    {
        var csv = new StringBuilder("step,error,unexplained_variance,masked_lm_divergence\n");
        foreach (var (step, score) in curve.OrderBy(p => p.Step))
            csv.Append(CultureInfo.InvariantCulture,
                $"{step},{score.Error:R},{score.UnexplainedVariance:R},{score.MaskedLmDivergence?.ToString("R", CultureInfo.InvariantCulture)}\n");
        return csv.ToString();
    }

    /// <summary>The points measured before a restart.</summary>
    private static List<DistillationPoint> ReadCurve(string path)
    {
        if (!File.Exists(path)) return [];
        var points = new List<DistillationPoint>();
        foreach (string line in File.ReadLines(path).Skip(1))
        {
            var fields = line.Split(',');
            if (fields.Length != 4 || !int.TryParse(fields[0], CultureInfo.InvariantCulture, out int step)
                || !double.TryParse(fields[2], CultureInfo.InvariantCulture, out double variance))
                throw new UserInputException($"{path}: malformed line '{line}'; run again with --force-restart to start again");
            double? divergence = fields[3].Length == 0 ? null : double.Parse(fields[3], CultureInfo.InvariantCulture);
            points.Add(new DistillationPoint(step, new DistillationScore(variance, divergence)));
        }
        return points;
    }
}
