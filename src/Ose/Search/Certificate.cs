using System.Globalization;

namespace Ose.Search;

/// <summary>Where a certificate's guarantee comes from.</summary>
public enum CertificateKind
{
    /// <summary>No guarantee: <see cref="Certificate.Reason"/> says why.</summary>
    None,

    /// <summary>Every candidate was evaluated: the chosen one is the argmax of W.</summary>
    Exact,

    /// <summary>Bounds on the unevaluated candidates, under a stated assumption, after an audit.</summary>
    Bounds,
}

/// <summary>
/// The promise a search makes about its answer: W* ≤ <see cref="Gap"/> × W(chosen), with what it rests on, or none and why
/// (DESIGN §2.3). For <see cref="CertificateKind.Bounds"/> the gap is max(1, U/W), with U the largest bound P·I/ē over
/// the candidates still unevaluated when the audit passed and W the best W found by the end of the search: every
/// candidate evaluated later is in W, so W* ≤ max(W, U) under the assumption.
/// </summary>
public sealed record Certificate(
    CertificateKind Kind,
    double? Gap,
    string Reason,
    IReadOnlyList<Axis> Axes,
    double ToleranceFactor,
    int Repeats,
    int Pruned,
    int Audited,
    int Withdrawn)
{
    public static Certificate Exact(string reason) => new(CertificateKind.Exact, 1, reason, [], 1, 0, 0, 0, 0);

    public static Certificate None(string reason) => new(CertificateKind.None, null, reason, [], 1, 0, 0, 0, 0);

    /// <summary>The assumption a bounds certificate rests on, in words.</summary>
    public string Assumption
    {
        get
        {
            var capacity = Axes.Select(a => a.ToString()).ToArray();
            var fixedAxes = Enum.GetValues<Axis>().Where(a => !Axes.Contains(a)).Select(a => a.ToString()).ToArray();
            string along = capacity.Length switch
            {
                1 => capacity[0],
                _ => string.Join(", ", capacity[..^1]) + " or " + capacity[^1],
            };
            string held = fixedAxes.Length == 0 ? "" : $" at equal {string.Join(" and ", fixedAxes)}";
            string noise = ToleranceFactor > 1
                ? $" by more than a factor {Number(ToleranceFactor)} (the noise of {Repeats} repeated evaluations)"
                : "";
            string except = Withdrawn > 0 ? $" (the {Withdrawn} evaluation(s) that contradicted it bound nothing)" : "";
            return $"error does not rise with {along}{held}{noise}{except}";
        }
    }

    /// <summary>The certificate as the terminal prints it and <c>search.json</c> stores it.</summary>
    public string Describe() => Kind switch
    {
        CertificateKind.Exact => $"exact, W* = W(chosen): {Reason}",
        CertificateKind.Bounds =>
            $"W* ≤ {Number(Gap!.Value)} × W(chosen), assuming {Assumption}; " +
            $"{Audited} of {Pruned} pruned candidates audited at random, 0 violations " +
            $"(a violation rate of {Percent(Audit.DetectableRate)} would show with probability {Percent(Audit.Confidence)})",
        _ => $"none: {Reason}",
    };

    private static string Number(double x) => x.ToString("0.####", CultureInfo.InvariantCulture);

    private static string Percent(double x) => (100 * x).ToString("0", CultureInfo.InvariantCulture) + "%";
}

/// <summary>
/// A sampler's certificate as it stood when its audit passed: the assumption and audit (the gap left out), the largest
/// bound P·I/ē over the candidates then unevaluated, and how many evaluations the search had made by then.
/// </summary>
public sealed record Certification(Certificate Certificate, double LargestBound, int AfterEvaluations);
