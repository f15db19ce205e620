using System.Globalization;
using System.Text.Json;
using Ose.Agora.Vectors;

namespace Ose.Agora.Tests;

/// <summary>One uninterrupted run of the small torus to round limit 3, shared by the tests that compare against it.</summary>
public sealed class UninterruptedTorusRun : IDisposable
{
    private readonly TemporaryFolder folder = new();
    internal RecordingTrainer Trainer { get; } = new(SmallTorus.Trainer());
    public AgoraResult<float[], int> Result { get; }
    public string RunFolder => folder.Sub("uninterrupted");

    public UninterruptedTorusRun() =>
        Result = SmallTorus.Loop(SmallTorus.Options(roundLimit: 3), Trainer).Run(SmallTorus.Train, SmallTorus.Dev, null, RunFolder);

    public void Dispose() => folder.Dispose();
}

public sealed class AgoraLoopTests(UninterruptedTorusRun uninterrupted) : IClassFixture<UninterruptedTorusRun>, IDisposable
{
    private readonly TemporaryFolder temporary = new();

    public void Dispose() => temporary.Dispose();

    /// <summary>Every field of every round and every generated point, so that two runs compare as one string.</summary>
    private static string Everything(AgoraResult<float[], int> result) =>
        JsonSerializer.Serialize(new { result.Rounds, result.Generated, result.StopReason });

    private string CopyOfUninterrupted(string name)
    {
        string copy = temporary.Sub(name);
        Directory.CreateDirectory(copy);
        foreach (string file in Directory.GetFiles(uninterrupted.RunFolder))
            File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        return copy;
    }

    [Fact]
    public void The_last_rounds_student_scores_higher_on_dev_than_round_0s()
    {
        var rounds = uninterrupted.Result.Rounds;
        Assert.Equal(3, rounds.Count);
        Assert.True(rounds[^1].DevScore > rounds[0].DevScore,
            $"dev accuracy by round: {string.Join(", ", rounds.Select(r => r.DevScore.ToString("F3", CultureInfo.InvariantCulture)))}");
    }

    [Fact]
    public void Each_round_keeps_its_best_θ_and_drops_one_and_reports_what_it_trained()
    {
        var rounds = uninterrupted.Result.Rounds;
        for (int r = 0; r < rounds.Count; r++)
        {
            Assert.Equal(r, rounds[r].Round);
            Assert.Equal(3 - r, rounds[r].ΘAtStart.Length);
            Assert.Equal(rounds[r].ΘAtStart.Length - 1, rounds[r].ΘLeft.Length);
            Assert.Subset(rounds[r].ΘAtStart.ToHashSet(), rounds[r].ΘLeft.ToHashSet());
            if (rounds[r].ΘLeft.Length > 0) Assert.Contains(rounds[r].BestΘ, rounds[r].ΘLeft);
            Assert.Equal(rounds[r].ΘAtStart.Length * 150, rounds[r].Steps);
            if (r > 0) Assert.Equal(rounds[r - 1].ΘLeft, rounds[r].ΘAtStart);
        }
        Assert.Equal(rounds[^1].Misclassified == 0 ? "no dev point is misclassified" : "Θ is empty", uninterrupted.Result.StopReason);
        Assert.Equal(AgoraReport.RoundsCsv(rounds), File.ReadAllText(Path.Combine(uninterrupted.RunFolder, "rounds.csv")));
    }

    [Fact]
    public void Every_generated_point_comes_from_an_earlier_round_near_a_dev_point_that_rounds_best_student_misclassified()
    {
        var result = uninterrupted.Result;
        var dev = SmallTorus.Dev;
        // The loop predicts dev once per round, with that round's best student (no test split here).
        var devPredictions = uninterrupted.Trainer.Predictions;
        Assert.Equal(result.Rounds.Count, devPredictions.Count);

        // What the run folder says was generated is what the run returned.
        var rows = File.ReadAllLines(Path.Combine(uninterrupted.RunFolder, "generated.tsv")).Skip(1).Select(line => line.Split('\t')).ToArray();
        Assert.Equal(result.Generated.Count, rows.Length);
        Assert.NotEmpty(rows);
        var format = new VectorFormat();
        var generated = rows.Select(f => (Round: int.Parse(f[0], CultureInfo.InvariantCulture), SeedPoint: int.Parse(f[1], CultureInfo.InvariantCulture),
            Label: int.Parse(f[2], CultureInfo.InvariantCulture), Confidence: double.Parse(f[3], CultureInfo.InvariantCulture), Point: format.Read(f[4]))).ToArray();
        for (int n = 0; n < rows.Length; n++)
        {
            var returned = result.Generated[n];
            Assert.Equal(returned.Origin, new Provenance(generated[n].Round, generated[n].SeedPoint, generated[n].Confidence));
            Assert.Equal(returned.Label, generated[n].Label);
            Assert.Equal(returned.Point, generated[n].Point);
        }

        foreach (var p in generated)
        {
            Assert.InRange(p.Round, 0, result.Rounds.Count - 2);
            var round = result.Rounds[p.Round];
            Assert.NotEqual(dev[p.SeedPoint].Label, devPredictions[p.Round][p.SeedPoint]);
            double distance = Math.Sqrt(p.Point.Zip(dev[p.SeedPoint].Point).Sum(x => Math.Pow((double)x.First - x.Second, 2)));
            Assert.True(distance <= SmallTorus.Radius + 1e-5, $"a point {distance} from its seed point");
            Assert.True(p.Confidence >= SmallTorus.MinimumConfidence, $"a point kept at confidence {p.Confidence}");
            Assert.Equal(TorusDemo.Label(p.Point), p.Label);
        }

        for (int r = 0; r < result.Rounds.Count; r++)
        {
            var round = result.Rounds[r];
            Assert.Equal(devPredictions[r].Where((label, k) => label != dev[k].Label).Count(), round.Misclassified);
            Assert.Equal(generated.Count(p => p.Round == r), round.Kept);
            // A round trains on the task's points and on those of every earlier round, none later.
            Assert.Equal(SmallTorus.Train.Length + generated.Count(p => p.Round < r), round.TrainSize);
        }
        // The labeller was unsure of some generated points, and those were left out.
        Assert.Contains(result.Rounds, r => r.Kept < r.Generated);
        Assert.Equal(result.Rounds[0].Misclassified * SmallTorus.PointsPerSeed, result.Rounds[0].Generated);
    }

    [Fact]
    public void A_run_to_round_limit_2_continued_to_3_matches_a_run_straight_to_3()
    {
        string folder = temporary.Sub("continued");
        var first = SmallTorus.Loop(SmallTorus.Options(roundLimit: 2)).Run(SmallTorus.Train, SmallTorus.Dev, null, folder);
        Assert.Equal(2, first.Rounds.Count);
        Assert.Equal("round limit 2 reached", first.StopReason);

        var messages = new List<string>();
        var continued = SmallTorus.Loop(SmallTorus.Options(roundLimit: 3))
            .Run(SmallTorus.Train, SmallTorus.Dev, null, folder, progress: new Callback(messages.Add));

        Assert.Equal("resuming after round 1 with " + first.Generated.Count + " generated points", messages[0]);
        Assert.Equal(Everything(uninterrupted.Result), Everything(continued));
    }

    [Fact]
    public void A_run_cancelled_when_round_1_starts_continues_to_the_uninterrupted_result()
    {
        string folder = temporary.Sub("cancelled");
        using var cancellation = new CancellationTokenSource();
        var progress = new Callback(message => { if (message.StartsWith("round 1:", StringComparison.Ordinal)) cancellation.Cancel(); });
        Assert.ThrowsAny<OperationCanceledException>(() =>
            SmallTorus.Loop(SmallTorus.Options(roundLimit: 3)).Run(SmallTorus.Train, SmallTorus.Dev, null, folder, progress: progress,
                cancellation: cancellation.Token));
        var saved = JsonSerializer.Deserialize<List<AgoraRound>>(File.ReadAllText(Path.Combine(folder, "state.json")))!;
        Assert.Equal([0], saved.Select(r => r.Round));

        var messages = new List<string>();
        var continued = SmallTorus.Loop(SmallTorus.Options(roundLimit: 3))
            .Run(SmallTorus.Train, SmallTorus.Dev, null, folder, progress: new Callback(messages.Add));

        Assert.StartsWith("resuming after round 0", messages[0]);
        Assert.Equal(Everything(uninterrupted.Result), Everything(continued));
    }

    [Fact]
    public void Generated_rows_of_a_round_whose_state_was_never_written_are_dropped_and_the_round_runs_again()
    {
        // As if killed between writing generated.tsv and state.json at the end of round 1.
        string folder = CopyOfUninterrupted("killed-between-writes");
        File.WriteAllText(Path.Combine(folder, "state.json"), JsonSerializer.Serialize(uninterrupted.Result.Rounds.Take(1).ToList()));
        Assert.Contains(File.ReadLines(Path.Combine(folder, "generated.tsv")).Skip(1), row => row.StartsWith("1\t", StringComparison.Ordinal));

        var continued = SmallTorus.Loop(SmallTorus.Options(roundLimit: 3)).Run(SmallTorus.Train, SmallTorus.Dev, null, folder);

        Assert.Equal(Everything(uninterrupted.Result), Everything(continued));
    }

    [Fact]
    public void Replaying_round_1_trains_it_again_and_reproduces_its_record_and_what_follows()
    {
        string folder = CopyOfUninterrupted("replayed");
        var messages = new List<string>();

        var replayed = SmallTorus.Loop(SmallTorus.Options(roundLimit: 3))
            .Run(SmallTorus.Train, SmallTorus.Dev, null, folder, replay: 1, progress: new Callback(messages.Add));

        Assert.DoesNotContain(messages, m => m.StartsWith("round 0:", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.StartsWith("round 1: θ", StringComparison.Ordinal));
        Assert.Equal(Everything(uninterrupted.Result), Everything(replayed));
    }

    [Fact]
    public void Replaying_a_round_the_run_has_not_reached_is_a_user_error()
    {
        string folder = CopyOfUninterrupted("replayed-too-far");
        var error = Assert.Throws<UserInputException>(() =>
            SmallTorus.Loop(SmallTorus.Options(roundLimit: 3)).Run(SmallTorus.Train, SmallTorus.Dev, null, folder, replay: 4));
        Assert.Contains("0..2", error.Message);
    }

    [Fact]
    public void A_labeller_that_always_answers_one_class_is_refused_for_accuracy_not_above_two_thirds()
    {
        string folder = temporary.Sub("refused");
        var error = Assert.Throws<UserInputException>(() =>
            SmallTorus.Loop(SmallTorus.Options(roundLimit: 1), labeller: new ConstantLabeller(0)).Run(SmallTorus.Train, SmallTorus.Dev, null, folder));

        double share = SmallTorus.Dev.Count(p => p.Label == 0) / (double)SmallTorus.Dev.Length;
        Assert.Contains(share.ToString("F3", CultureInfo.InvariantCulture), error.Message);
        Assert.Contains("0.667", error.Message); // 2/3
        Assert.False(Directory.Exists(folder), "a refused run leaves no run folder");
    }

    [Fact]
    public void A_labeller_right_on_exactly_two_thirds_of_dev_is_refused_and_one_more_right_answer_is_enough()
    {
        var dev = SmallTorus.Dev;
        Assert.Equal(0, dev.Length % 3);
        var quick = SmallTorus.Options(roundLimit: 1) with { Θ = [new HyperParameters(LearningRate: 1e-2, Steps: 5, BatchSize: 8)] };

        var twoThirds = new WrongOn(dev.Take(dev.Length / 3).Select(p => p.Point));
        Assert.Throws<UserInputException>(() =>
            SmallTorus.Loop(quick, labeller: twoThirds).Run(SmallTorus.Train, dev, null, temporary.Sub("two-thirds")));

        var better = new WrongOn(dev.Take(dev.Length / 3 - 1).Select(p => p.Point));
        var result = SmallTorus.Loop(quick, labeller: better).Run(SmallTorus.Train, dev, null, temporary.Sub("better"));
        Assert.Single(result.Rounds);
    }

    [Fact]
    public void A_forced_labeller_runs_however_poor()
    {
        var result = SmallTorus.Loop(SmallTorus.Options(roundLimit: 1, forceLabeller: true), labeller: new ConstantLabeller(0))
            .Run(SmallTorus.Train, SmallTorus.Dev, null, temporary.Sub("forced"));

        Assert.Single(result.Rounds);
        Assert.Equal("round limit 1 reached", result.StopReason);
        Assert.All(result.Generated, p => Assert.Equal(0, p.Label));
    }

    [Fact]
    public void One_hyperparameter_set_gives_one_round_and_then_Θ_is_empty()
    {
        var options = SmallTorus.Options(roundLimit: 5) with { Θ = [SmallTorus.Options(1).Θ[0]] };
        var result = SmallTorus.Loop(options).Run(SmallTorus.Train, SmallTorus.Dev, null, temporary.Sub("one-θ"));

        Assert.Single(result.Rounds);
        Assert.True(result.Rounds[0].Misclassified > 0);
        Assert.Equal("Θ is empty", result.StopReason);
        // No student would ever train on points generated now.
        Assert.Empty(result.Generated);
    }

    [Fact]
    public void A_problem_the_student_gets_all_right_stops_after_one_round_with_nothing_misclassified()
    {
        // Two slabs far apart: x < -1 is class 0, x > 1 is class 1.
        var random = new Random(3);
        LabelledPoint<float[], int> Point()
        {
            int label = random.Next(2);
            float x = (label == 1 ? 1 : -1) * (1 + (float)random.NextDouble());
            return new LabelledPoint<float[], int>([x, (float)random.NextDouble() - 0.5f, (float)random.NextDouble() - 0.5f], label);
        }
        var train = Enumerable.Range(0, 40).Select(_ => Point()).ToArray();
        var dev = Enumerable.Range(0, 30).Select(_ => Point()).ToArray();

        var result = SmallTorus.Loop(SmallTorus.Options(roundLimit: 5), labeller: new SlabOracle()).Run(train, dev, null, temporary.Sub("separable"));

        Assert.Single(result.Rounds);
        Assert.Equal(0, result.Rounds[0].Misclassified);
        Assert.Equal(1.0, result.Rounds[0].DevScore);
        Assert.Equal("no dev point is misclassified", result.StopReason);
    }

    [Fact]
    public void An_empty_dev_split_is_a_user_error()
    {
        var error = Assert.Throws<UserInputException>(() =>
            SmallTorus.Loop(SmallTorus.Options(roundLimit: 3)).Run(SmallTorus.Train, [], null, temporary.Sub("no-dev")));
        Assert.Contains("dev", error.Message);
    }

    [Fact]
    public void A_corrupt_state_file_is_a_user_error_naming_it()
    {
        string folder = temporary.Sub("corrupt");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "state.json"), "[{");

        var error = Assert.Throws<UserInputException>(() =>
            SmallTorus.Loop(SmallTorus.Options(roundLimit: 3)).Run(SmallTorus.Train, SmallTorus.Dev, null, folder));
        Assert.Contains("state.json", error.Message);
    }

    /// <summary>The torus's rule, except on the given points (by reference), where it gives the other class.</summary>
    private sealed class WrongOn(IEnumerable<float[]> points) : ILabeller<float[], int>
    {
        private readonly HashSet<float[]> wrong = new(points, ReferenceEqualityComparer.Instance);

        public (int Label, double Confidence)[] Label(IReadOnlyList<float[]> points) =>
            points.Select(p => (wrong.Contains(p) ? 1 - TorusDemo.Label(p) : TorusDemo.Label(p), 1.0)).ToArray();
    }

    private sealed class SlabOracle : ILabeller<float[], int>
    {
        public (int Label, double Confidence)[] Label(IReadOnlyList<float[]> points) => points.Select(p => (p[0] > 0 ? 1 : 0, 1.0)).ToArray();
    }
}
