namespace Ose.Agora.Tests;

/// <summary>The random-seed ablation and the selection split of <see cref="AgoraLoop{TPoint}"/>.</summary>
public sealed class SeedChoiceTests : IDisposable
{
    private readonly TemporaryFolder temporary = new();

    public void Dispose() => temporary.Dispose();

    [Fact]
    public void The_ablation_generates_around_as_many_training_points_as_Agora_has_dev_mistakes_and_never_around_dev_points()
    {
        var options = SmallTorus.Options(roundLimit: 2);
        var agora = SmallTorus.Loop(options).Run(SmallTorus.Train, SmallTorus.Dev, null, temporary.Sub("agora"));
        var ablation = SmallTorus.Loop(options with { Seeds = SeedChoice.RandomTraining })
            .Run(SmallTorus.Train, SmallTorus.Dev, null, temporary.Sub("random"));

        // Round 0 trains on the task's points alone in both runs, so both find the same mistakes.
        Assert.Equal(agora.Rounds[0].Misclassified, ablation.Rounds[0].Misclassified);
        Assert.Equal(agora.Rounds[0].Generated, ablation.Rounds[0].Generated);
        Assert.Equal(agora.TotalSteps, ablation.TotalSteps);
        Assert.NotEmpty(ablation.Generated);
        foreach (var p in ablation.Generated)
        {
            var seed = SmallTorus.Train[p.Origin!.SeedPoint];
            double distance = Math.Sqrt(p.Point.Zip(seed.Point).Sum(x => Math.Pow((double)x.First - x.Second, 2)));
            Assert.True(distance <= SmallTorus.Radius + 1e-5, $"a point {distance} from the training point it names");
        }
        // The training points lie in a third of the torus (φ < 2π/3) and the dev mistakes mostly outside it, so the
        // two choices generate in different places.
        static bool Away(float[] p) => (Math.Atan2(p[1], p[0]) + 2 * Math.PI) % (2 * Math.PI) is > 2 * Math.PI / 3 + 0.5 and < 2 * Math.PI - 0.5;
        double outsideAblation = ablation.Generated.Count(p => Away(p.Point)) / (double)ablation.Generated.Count;
        double outsideAgora = agora.Generated.Count(p => Away(p.Point)) / (double)agora.Generated.Count;
        Assert.True(outsideAblation < outsideAgora, $"share generated away from the training third: ablation {outsideAblation:F2}, Agora {outsideAgora:F2}");
    }

    [Fact]
    public void With_a_selection_split_the_best_round_is_the_one_that_scores_highest_there_not_on_dev()
    {
        var selection = SmallTorus.Train.Take(20).ToArray();
        var result = SmallTorus.Loop(SmallTorus.Options(roundLimit: 3))
            .Run(SmallTorus.Train, SmallTorus.Dev, null, temporary.Sub("selection"), selection: selection);

        Assert.All(result.Rounds, r => Assert.NotNull(r.SelectionScore));
        double bestSelection = result.Rounds.Max(r => r.SelectionScore!.Value);
        Assert.Equal(result.Rounds.First(r => r.SelectionScore == bestSelection), result.Best);
    }

    [Fact]
    public void Without_a_selection_split_the_best_round_is_the_best_on_dev()
    {
        var result = SmallTorus.Loop(SmallTorus.Options(roundLimit: 3)).Run(SmallTorus.Train, SmallTorus.Dev, null, temporary.Sub("dev"));

        Assert.All(result.Rounds, r => Assert.Null(r.SelectionScore));
        Assert.Equal(result.Rounds.Max(r => r.DevScore), result.Best.DevScore);
    }
}
