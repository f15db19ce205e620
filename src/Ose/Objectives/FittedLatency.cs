using Ose.Costs;

namespace Ose.Objectives;

/// <summary>
/// i(ξ) as measured CPU latency (DESIGN §2.2): a spread of candidates is measured, a <see cref="LatencyModel"/>
/// is fitted on most of them and checked on the rest, and the model predicts every candidate. Measured candidates
/// keep their measurement.
/// </summary>
public sealed class FittedLatency : IObjective
{
    private readonly Dictionary<Architecture, double> measured;
    private readonly double floor;

    /// <param name="measure">Median forward latency in seconds of one architecture (the model layer measures it).</param>
    /// <param name="identity">What was measured: batch, sequence length, threads, device.</param>
    public FittedLatency(IReadOnlyList<Architecture> candidates, Func<Architecture, double> measure, int sequenceLength,
        string identity, int fitted = 12, int heldOut = 4)
    {
        // Evenly spaced by operation count, so the fit sees the whole range it must predict.
        var byCost = candidates.Distinct().OrderBy(ξ => LatencyModel.Terms(ξ, sequenceLength).Sum()).ToArray();
        int total = Math.Min(byCost.Length, fitted + heldOut);
        var sample = Enumerable.Range(0, total)
            .Select(k => byCost[total == 1 ? 0 : (int)Math.Round(k * (byCost.Length - 1.0) / (total - 1))]).Distinct().ToArray();
        var measurements = sample.Select(ξ => (Architecture: ξ, Seconds: measure(ξ))).ToArray();
        // Held out: interior points spread evenly, so the fit keeps both extremes of the range.
        var heldOutIndices = Enumerable.Range(1, Math.Min(heldOut, Math.Max(0, measurements.Length - 2)))
            .Select(j => j * (measurements.Length - 1) / (heldOut + 1)).ToHashSet();
        var test = measurements.Where((_, k) => heldOutIndices.Contains(k)).ToArray();
        var train = measurements.Where((_, k) => !heldOutIndices.Contains(k)).ToArray();
        Model = LatencyModel.Fit(train, sequenceLength);
        HeldOutError = Model.MedianRelativeError(test);
        HeldOut = test.Select(m => m.Architecture).ToHashSet();
        Measurements = measurements;
        measured = measurements.ToDictionary(m => m.Architecture, m => m.Seconds);
        // A linear fit can dip below zero just under its smallest sample; no forward pass is faster than a tenth of it.
        floor = 0.1 * measurements.Min(m => m.Seconds);
        Identity = identity;
    }

    public LatencyModel Model { get; }

    /// <summary>Median relative error of the model's predictions on measured candidates it was not fitted on.</summary>
    public double HeldOutError { get; }

    /// <summary>The measured candidates the model was not fitted on.</summary>
    public IReadOnlySet<Architecture> HeldOut { get; }

    public IReadOnlyList<(Architecture Architecture, double Seconds)> Measurements { get; }

    public string Identity { get; }

    public double Evaluate(Architecture ξ, CancellationToken cancellation = default) =>
        measured.TryGetValue(ξ, out double seconds) ? seconds : Math.Max(Model.Predict(ξ), floor);
}
