using Ose.Models.Text;
using static TorchSharp.torch;

namespace Ose.Training.Tests;

public sealed class TrainedErrorTests : IDisposable
{
    private static readonly SpecialTokens Tokens = new(Pad: 0, Cls: 1, Sep: 2, Mask: 3, VocabularySize: 50);
    private static readonly FixedShape Shape = new(50, 16, 2, HasPooler: false);
    private readonly string directory = Directory.CreateTempSubdirectory("ose-trained-error-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private static IReadOnlyList<long[]> Corpus(int seed)
    {
        var random = new Random(seed);
        return PackedCorpus.Pack(Enumerable.Range(0, 60).Select(_ => Enumerable.Range(random.Next(4, 30), 8).Select(t => t % 46 + 4).ToArray()), 16, Tokens);
    }

    private static HyperParameters Θ(double lr) => new(lr, Steps: 10, BatchSize: 4, MaxLength: 16);

    private TrainedError Error(IReadOnlyList<HyperParameters> theta, string work) =>
        new(Shape, Tokens, Corpus(1), Corpus(2), theta, CPU, Path.Combine(directory, work), "toy");

    [Fact]
    public void The_training_of_a_candidate_grows_with_one_over_epsilon()
    {
        Assert.Equal(100, TrainedErrorSetup.StepsFor(0.1));
        Assert.Equal(200, TrainedErrorSetup.StepsFor(0.05));
    }

    [Fact]
    public void A_candidate_error_is_a_finite_held_out_loss_and_repeats_for_the_same_seed()
    {
        var ξ = new Architecture(1, 2, 32, 64);
        double first = Error([Θ(1e-3)], "a").Evaluate(ξ);
        double again = Error([Θ(1e-3)], "b").Evaluate(ξ);

        Assert.InRange(first, 0.1, Math.Log(50) + 1);
        Assert.Equal(first, again);
    }

    [Fact]
    public void The_error_is_the_best_over_theta_and_a_diverging_theta_is_skipped()
    {
        var ξ = new Architecture(1, 2, 32, 64);
        double alone = Error([Θ(1e-3)], "alone").Evaluate(ξ);
        double withDiverging = Error([Θ(1e30), Θ(1e-3)], "both").Evaluate(ξ);

        Assert.Equal(alone, withDiverging);
    }

    [Fact]
    public void The_identity_names_the_budget_so_other_budgets_never_share_stored_errors()
    {
        string a = Error([Θ(1e-3)], "x").Identity;
        string b = new TrainedError(Shape, Tokens, Corpus(1), Corpus(2), [Θ(1e-3) with { Steps = 20 }], CPU, directory, "toy").Identity;
        Assert.NotEqual(a, b);
        Assert.Contains("steps=10", a);
    }
}
