namespace Ose.Objectives;

/// <summary>
/// One of the three objectives of OSE (DESIGN §2.2), all minimised: parameter size p, inference cost i, error e.
/// </summary>
public interface IObjective
{
    /// <summary>
    /// What exactly is measured, precise enough that two runs with the same identity may share stored results
    /// (an error table's checksum, a training budget, a sequence length).
    /// </summary>
    string Identity { get; }

    double Evaluate(Architecture ξ, CancellationToken cancellation = default);
}
