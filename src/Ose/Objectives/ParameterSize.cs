using Ose.Costs;

namespace Ose.Objectives;

/// <summary>p(ξ): the exact total parameter count (embeddings, blocks and pooler).</summary>
public sealed class ParameterSize(FixedShape shape) : IObjective
{
    public string Identity => $"params:V={shape.V},S={shape.S},T={shape.T},pooler={shape.HasPooler}";

    public double Evaluate(Architecture ξ, CancellationToken cancellation = default) => ParameterCount.Of(ξ, shape).Total;
}
