
namespace Ose.Agora;

/// <summary>Around which points a round generates new ones.</summary>
public enum SeedChoice
{
    /// <summary>The dev points the round's best student gets wrong: Agora.</summary>
    Mistakes,

    /// <summary>As many of the task's own training points, drawn at random: the ablation that asks whether choosing mistakes matters.</summary>
    RandomTraining,
}

/// <summary>
/// The settings of an Agora run (DESIGN §2.5). Θ is the list of hyperparameter sets; each round drops the weakest.
/// </summary>
/// <param name="PointsPerSeed">k: new points generated around each misclassified dev point.</param>
/// <param name="MinimumConfidence">Generated points the labeller is less sure of than this are not added.</param>
/// <param name="MinimumLabellerScore">The labeller must beat this on dev (the papers ask for accuracy above 2/3).</param>
/// <param name="Seeds">Around which points new ones are generated.</param>
public sealed record AgoraOptions(
    IReadOnlyList<HyperParameters> Θ,
    int RoundLimit = 5,
    int PointsPerSeed = 4,
    double MinimumConfidence = 0.0,
    double MinimumLabellerScore = 2.0 / 3.0,
    bool ForceLabeller = false,
    long Seed = 0,
    SeedChoice Seeds = SeedChoice.Mistakes)
{
    public void Validate()
    {
        if (Θ.Count == 0) throw new UserInputException("Θ is empty: give at least one hyperparameter set");
        foreach (var θ in Θ) θ.Validate();
        if (RoundLimit < 1) throw new UserInputException($"the round limit must be positive, got {RoundLimit}");
        if (PointsPerSeed < 1) throw new UserInputException($"points per misclassified dev point must be positive, got {PointsPerSeed}");
        if (MinimumConfidence is < 0 or > 1) throw new UserInputException($"minimum confidence must lie in [0, 1], got {MinimumConfidence}");
    }
}
