using System.Globalization;
using System.Text.Json;
using System.Text;
using Ose.IO;

namespace Ose.Agora;

/// <summary>What one round did: the students it trained, what the best one got wrong, and what was added for the next.</summary>
public sealed record AgoraRound(
    int Round,
    int[] ΘAtStart,
    int BestΘ,
    double DevScore,
    double? TestScore,
    double? SelectionScore,
    int Misclassified,
    int Generated,
    int Kept,
    int TrainSize,
    int Steps,
    int[] ΘLeft);

/// <summary>A finished run: every round, the points it generated (with provenance), the total compute, and why it stopped.</summary>
public sealed record AgoraResult<TPoint, TLabel>(IReadOnlyList<AgoraRound> Rounds, IReadOnlyList<LabelledPoint<TPoint, TLabel>> Generated, string StopReason)
{
    public int TotalSteps => Rounds.Sum(r => r.Steps);

    /// <summary>
    /// The round whose best student scored highest on the selection split when there is one, else on dev (the first
    /// such, so fewer generated points win ties). Agora generates around dev points and labels their neighbours, so its
    /// dev score flatters the later rounds; a split it never sees chooses honestly.
    /// </summary>
    public AgoraRound Best => Rounds.Aggregate((a, b) => Chosen(b) > Chosen(a) ? b : a);

    private static double Chosen(AgoraRound round) => round.SelectionScore ?? round.DevScore;
}

/// <summary>
/// The Agora loop of DESIGN §2.5: (1) fine-tune one student per θ in Θ, keep the best on dev; (2) around each dev
/// point it misclassifies, sample k new points; (3) label them with the labeller and add them to train, with their
/// provenance; (4) drop the weakest θ. Stops when Θ is empty, nothing on dev is misclassified, or at the round
/// limit. The ablation (<see cref="SeedChoice.RandomTraining"/>) generates as many points around random training points
/// instead, at the same compute. Each finished round is written to the run folder (state.json, generated.tsv, rounds.csv), so a killed run
/// continues from the last finished round, and <c>replay</c> re-runs a round and everything after it.
/// </summary>
public sealed class AgoraLoop<TPoint, TLabel>(
    IStudentTrainer<TPoint, TLabel> trainer, INeighbourSampler<TPoint> sampler, ILabeller<TPoint, TLabel> labeller, IPointFormat<TPoint> format,
    ILabels<TLabel> labels, AgoraOptions options)
{
    private const string StateFile = "state.json", GeneratedFile = "generated.tsv", RoundsFile = "rounds.csv";

    public AgoraResult<TPoint, TLabel> Run(IReadOnlyList<LabelledPoint<TPoint, TLabel>> train, IReadOnlyList<LabelledPoint<TPoint, TLabel>> dev,
        IReadOnlyList<LabelledPoint<TPoint, TLabel>>? test, string runFolder, int? replay = null, IProgress<string>? progress = null,
        CancellationToken cancellation = default, IReadOnlyList<LabelledPoint<TPoint, TLabel>>? selection = null)
    {
        options.Validate();
        if (dev.Count == 0) throw new UserInputException("the dev split is empty: Agora needs dev points to find the student's mistakes");
        CheckLabeller(dev);

        Directory.CreateDirectory(runFolder);
        var rounds = ReadRounds(runFolder);
        if (replay is { } r)
        {
            if (r < 0 || r > rounds.Count) throw new UserInputException($"--replay {r}: the run has finished rounds 0..{rounds.Count - 1}");
            rounds.RemoveRange(r, rounds.Count - r);
        }
        var generated = ReadGenerated(runFolder, format, labels, rounds.Count);
        if (rounds.Count > 0) progress?.Report($"resuming after round {rounds.Count - 1} with {generated.Count} generated points");

        var Θ = rounds.Count == 0 ? Enumerable.Range(0, options.Θ.Count).ToArray() : rounds[^1].ΘLeft;
        string? stop = StopReason(rounds, Θ);
        while (stop is null)
        {
            cancellation.ThrowIfCancellationRequested();
            int round = rounds.Count;
            var (record, added) = RunRound(round, Θ, train, [.. train, .. generated], dev, test, selection, progress, cancellation);
            generated.AddRange(added);
            rounds.Add(record);
            Save(runFolder, rounds, generated);
            Θ = record.ΘLeft;
            stop = StopReason(rounds, Θ);
        }
        return new AgoraResult<TPoint, TLabel>(rounds, generated, stop);
    }

    private string? StopReason(List<AgoraRound> rounds, int[] Θ) =>
        rounds.Count > 0 && rounds[^1].Misclassified == 0 ? "no dev point is misclassified"
        : Θ.Length == 0 ? "Θ is empty"
        : rounds.Count >= options.RoundLimit ? $"round limit {options.RoundLimit} reached"
        : null;

    private void CheckLabeller(IReadOnlyList<LabelledPoint<TPoint, TLabel>> dev)
    {
        var given = labeller.Label(dev.Select(p => p.Point).ToArray());
        double score = labels.LabellerScore(given.Select(l => l.Label).ToArray(), dev.Select(p => p.Label).ToArray());
        if (score <= options.MinimumLabellerScore && !options.ForceLabeller)
            throw new UserInputException(string.Create(CultureInfo.InvariantCulture,
                $"the labeller's dev {labels.LabellerMetric} is {score:F3}, not above {options.MinimumLabellerScore:F3}: its labels would add noise (force to run anyway)"));
    }

    private (AgoraRound Record, List<LabelledPoint<TPoint, TLabel>> Added) RunRound(int round, int[] Θ, IReadOnlyList<LabelledPoint<TPoint, TLabel>> ownTrain,
        IReadOnlyList<LabelledPoint<TPoint, TLabel>> train, IReadOnlyList<LabelledPoint<TPoint, TLabel>> dev, IReadOnlyList<LabelledPoint<TPoint, TLabel>>? test,
        IReadOnlyList<LabelledPoint<TPoint, TLabel>>? selection, IProgress<string>? progress, CancellationToken cancellation)
    {
        var scores = new double[Θ.Length];
        IStudent? best = null;
        int bestIndex = -1, steps = 0;
        try
        {
            for (int j = 0; j < Θ.Length; j++)
            {
                var student = trainer.Train(train, dev, options.Θ[Θ[j]], options.Seed * 31 + Θ[j], cancellation);
                scores[j] = student.DevScore;
                steps += student.StepsTrained;
                progress?.Report(string.Create(CultureInfo.InvariantCulture,
                    $"round {round}: θ{Θ[j]} ({options.Θ[Θ[j]]}) dev {student.DevScore:F4} on {train.Count} training points"));
                if (best is null || student.DevScore > best.DevScore)
                {
                    best?.Dispose();
                    (best, bestIndex) = (student, j);
                }
                else student.Dispose();
            }

            var devPredictions = trainer.Predict(best!, dev.Select(p => p.Point).ToArray());
            var misclassified = Enumerable.Range(0, dev.Count).Where(k => !labels.Same(devPredictions[k], dev[k].Label)).ToArray();
            double? testScore = ScoreOn(best!, test);
            double? selectionScore = ScoreOn(best!, selection);

            // Once Θ runs out no student will train on new points. A round last only by the round limit still generates
            // them: a run continued with a higher limit must go on as a run given that limit from the start.
            bool ΘRunsOut = Θ.Length == 1;
            var added = new List<LabelledPoint<TPoint, TLabel>>();
            int generatedCount = 0;
            if (!ΘRunsOut)
                foreach (var (k, seedPoint) in SeedPoints(round, misclassified, dev, ownTrain))
                {
                    cancellation.ThrowIfCancellationRequested();
                    var points = sampler.Sample(seedPoint, options.PointsPerSeed, options.Seed * 1_000_003 + round * 100_003 + k);
                    generatedCount += points.Count;
                    var given = labeller.Label(points);
                    for (int n = 0; n < points.Count; n++)
                        if (given[n].Confidence >= options.MinimumConfidence)
                            added.Add(new LabelledPoint<TPoint, TLabel>(points[n], given[n].Label, new Provenance(round, k, given[n].Confidence)));
                }

            // Θ sorted by dev score, the weakest dropped.
            var left = Θ.Select((θ, j) => (θ, score: scores[j])).OrderByDescending(p => p.score).ThenBy(p => p.θ)
                .Take(Θ.Length - 1).Select(p => p.θ).ToArray();
            var record = new AgoraRound(round, Θ, Θ[bestIndex], best!.DevScore, testScore, selectionScore, misclassified.Length, generatedCount,
                added.Count, train.Count, steps, left);
            progress?.Report(string.Create(CultureInfo.InvariantCulture,
                $"round {round}: best θ{record.BestΘ} dev {record.DevScore:F4}, {record.Misclassified} misclassified, {record.Kept} of {record.Generated} generated points kept"));
            return (record, added);
        }
        finally
        {
            best?.Dispose();
        }
    }

    private double? ScoreOn(IStudent student, IReadOnlyList<LabelledPoint<TPoint, TLabel>>? split) =>
        split is { Count: > 0 } ? trainer.Score(trainer.Predict(student, split.Select(p => p.Point).ToArray()), split.Select(p => p.Label).ToArray()) : null;

    /// <summary>
    /// The points a round generates around, with their index (in dev, or in the task's own training points for the
    /// ablation): the misclassified dev points, or as many training points drawn by the round's seed (cycling through a
    /// shuffle when there are more mistakes than training points).
    /// </summary>
    private IEnumerable<(int Index, TPoint Point)> SeedPoints(int round, int[] misclassified, IReadOnlyList<LabelledPoint<TPoint, TLabel>> dev,
        IReadOnlyList<LabelledPoint<TPoint, TLabel>> ownTrain)
    {
        if (options.Seeds == SeedChoice.Mistakes) return misclassified.Select(k => (k, dev[k].Point));
        var order = Enumerable.Range(0, ownTrain.Count).ToArray();
        new Random(unchecked((int)(options.Seed * 1_000_003 + round))).Shuffle(order);
        return Enumerable.Range(0, misclassified.Length).Select(n => order[n % order.Length]).Select(k => (k, ownTrain[k].Point));
    }

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, IncludeFields = false };

    /// <summary>The finished rounds of a run folder, in order; none for a folder that has not finished one.</summary>
    public static List<AgoraRound> ReadRounds(string runFolder)
    {
        string path = Path.Combine(runFolder, StateFile);
        if (!File.Exists(path)) return [];
        try
        {
            return StrictJson.Deserialize<List<AgoraRound>>(File.ReadAllText(path), Json, path);
        }
        catch (UserInputException e)
        {
            throw new UserInputException($"{e.Message}; run again with --force-restart to start again");
        }
    }

    /// <summary>The generated points of a run folder with their provenance, those of the first <paramref name="finishedRounds"/> rounds.</summary>
    public static List<LabelledPoint<TPoint, TLabel>> ReadGenerated(string runFolder, IPointFormat<TPoint> format, ILabels<TLabel> labels,
        int finishedRounds = int.MaxValue)
    {
        string path = Path.Combine(runFolder, GeneratedFile);
        if (!File.Exists(path)) return [];
        var points = new List<LabelledPoint<TPoint, TLabel>>();
        int line = 0;
        foreach (string text in File.ReadLines(path))
        {
            if (line++ == 0) continue;
            var fields = text.Split('\t', 5);
            if (fields.Length != 5) throw new UserInputException($"{path} line {line}: expected 5 tab-separated fields");
            var origin = new Provenance(int.Parse(fields[0], CultureInfo.InvariantCulture), int.Parse(fields[1], CultureInfo.InvariantCulture),
                double.Parse(fields[3], CultureInfo.InvariantCulture));
            // Rows of a round that did not finish (killed between the two writes) are dropped: the round runs again.
            if (origin.Round < finishedRounds)
                points.Add(new LabelledPoint<TPoint, TLabel>(format.Read(fields[4]), labels.Read(fields[2]), origin));
        }
        return points;
    }

    private void Save(string runFolder, List<AgoraRound> rounds, List<LabelledPoint<TPoint, TLabel>> generated)
    {
        var tsv = new StringBuilder("round\tseed_point\tlabel\tconfidence\tpoint\n");
        foreach (var p in generated)
            tsv.Append(CultureInfo.InvariantCulture, $"{p.Origin!.Round}\t{p.Origin.SeedPoint}\t{labels.Write(p.Label)}\t{p.Origin.Confidence:R}\t{format.Write(p.Point)}\n");
        CrashSafe.WriteText(Path.Combine(runFolder, GeneratedFile), tsv.ToString());
        CrashSafe.WriteText(Path.Combine(runFolder, RoundsFile), AgoraReport.RoundsCsv(rounds));
        CrashSafe.WriteText(Path.Combine(runFolder, StateFile), JsonSerializer.Serialize(rounds, Json));
    }
}
