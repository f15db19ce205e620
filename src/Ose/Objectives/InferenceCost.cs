using Ose.Costs;

namespace Ose.Objectives;

/// <summary>i(ξ): analytic operations of one forward pass over a sequence of the given length.</summary>
public sealed class InferenceCost(FixedShape shape, int sequenceLength) : IObjective
{
    public int SequenceLength { get; } = sequenceLength > 0
        ? sequenceLength
        : throw new UserInputException($"sequence length must be positive, got {sequenceLength}");

    public string Identity => $"flops:L={SequenceLength}";

    public double Evaluate(Architecture ξ, CancellationToken cancellation = default) =>
        OperationCount.Of(ξ, shape, SequenceLength).Total;
}
