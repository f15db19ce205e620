namespace Ose.Objectives;

/// <summary>
/// A table's or the proxy's error made to cost a fixed time per evaluation (<c>--simulate-cost 2s</c>): it is then
/// stored and searched like a trained error (branch and bound, workers), with the same answers as the table. For trying
/// out and measuring distributed searches (docs/distributed.md) without training; the values are the table's.
/// </summary>
public sealed class SimulatedCost(IObjective error, TimeSpan cost) : IObjective
{
    public string Identity => error.Identity;

    public double Evaluate(Architecture ξ, CancellationToken cancellation = default)
    {
        // Cancellable like a training step: a stopped worker hands its trial back at once.
        if (cancellation.WaitHandle.WaitOne(cost)) cancellation.ThrowIfCancellationRequested();
        return error.Evaluate(ξ, cancellation);
    }
}
