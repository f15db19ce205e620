using System.Globalization;

namespace Ose;

/// <summary>
/// The architectural parameters ξ = ⟨D, A, H, I⟩ of a BERT-like encoder (de Wynter &amp; Perry 2020, §2):
/// depth (encoder blocks), attention heads, hidden size, intermediate (feed-forward) size.
/// </summary>
public readonly record struct Architecture(int D, int A, int H, int I)
{
    /// <summary>Whether every parameter of this architecture is at least that of <paramref name="other"/>.</summary>
    public bool Dominates(Architecture other) => D >= other.D && A >= other.A && H >= other.H && I >= other.I;

    /// <summary>Heads split the hidden state evenly, so A must divide H.</summary>
    public bool IsValid => D > 0 && A > 0 && H > 0 && I > 0 && H % A == 0;

    public override string ToString() => $"⟨D={D}, A={A}, H={H}, I={I}⟩";

    public string ToShortString() => $"{D},{A},{H},{I}";

    /// <summary>ξ as a user writes it, <c>D,A,H,I</c> (e.g. <c>4,8,256,1024</c>); <paramref name="what"/> names it in errors.</summary>
    public static Architecture Parse(string text, string what)
    {
        var parts = text.Split(',');
        if (parts.Length != 4 || !parts.All(p => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out _)))
            throw new UserInputException($"{what} must be D,A,H,I (four positive integers), got '{text}'");
        var ξ = new Architecture(int.Parse(parts[0], CultureInfo.InvariantCulture), int.Parse(parts[1], CultureInfo.InvariantCulture),
            int.Parse(parts[2], CultureInfo.InvariantCulture), int.Parse(parts[3], CultureInfo.InvariantCulture));
        if (!ξ.IsValid) throw new UserInputException($"{what} {text}: every size must be positive and A must divide H");
        return ξ;
    }
}

/// <summary>
/// What a sub-architecture inherits unchanged from its source: vocabulary size V, maximum positions S,
/// token types T, and whether the output layer C holds a pooler.
/// </summary>
public readonly record struct FixedShape(int V, int S, int T, bool HasPooler);
