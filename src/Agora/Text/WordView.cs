namespace Ose.Agora.Text;

/// <summary>
/// A text seen as words, some of which must not change (the words of a tagged span), and how to write it back.
/// </summary>
public sealed record WordView(string[] Words, bool[] Protected, Func<string[], string> Rebuild)
{
    /// <summary>Plain text: words split on spaces, none protected.</summary>
    public static WordView Plain(string text)
    {
        var words = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return new WordView(words, new bool[words.Length], changed => string.Join(' ', changed));
    }
}
