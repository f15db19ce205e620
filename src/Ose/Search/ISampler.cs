namespace Ose.Search;

/// <summary>Why a candidate is evaluated: what the search does with its error.</summary>
public enum EvaluationPurpose
{
    /// <summary>A cheap candidate first, so that an answer exists early.</summary>
    First,

    /// <summary>The same candidate with another seed, to measure the error's noise.</summary>
    Repeat,

    /// <summary>To bound the candidates it dominates, or because its bound could still beat the best (branch and bound).</summary>
    Bound,

    /// <summary>One step below an evaluated candidate along one axis, to measure whether error falls along it.</summary>
    Probe,

    /// <summary>A pruned candidate drawn at random to check the bounds before certifying.</summary>
    Audit,

    /// <summary>To cover candidates that the ε-front does not yet cover.</summary>
    Front,

    /// <summary>A baseline's choice (every candidate, a random one, an NSGA-II child).</summary>
    Explore,
}

/// <summary>
/// One evaluation a sampler asks for: a candidate, why, and for a repeat which other seed. <see cref="Remaining"/> is how
/// many more the sampler expects to ask for in its current phase, when it can tell.
/// </summary>
public readonly record struct Proposal(int Candidate, EvaluationPurpose Purpose, int Repeat = 0, int? Remaining = null);

/// <summary>
/// A way to choose what to evaluate next (Optuna's sampler): the FPTAS, or a baseline to compare it with. A sampler
/// only reads the search state and proposes; <see cref="SearchLoop"/> evaluates, records, keeps time and stops. Proposals
/// are a list so that workers could evaluate several at once: each must be valid whatever order they complete in.
/// </summary>
public interface ISampler
{
    string Name { get; }

    /// <summary>Up to <paramref name="slots"/> evaluations to run next; none when the sampler is done.</summary>
    IReadOnlyList<Proposal> Propose(SearchState state, int slots);

    /// <summary>The bounds this sampler prunes with, for the report; null for a sampler that does not prune.</summary>
    DominanceBounds? Bounds => null;

    /// <summary>The sampler's certificate of the answer if it made one and the evidence since has not withdrawn it.</summary>
    Certification? Certification => null;
}
