using Ose.Tasks;

namespace Ose.Agora.Text;

/// <summary>A text point: a sentence, or a sentence pair.</summary>
public sealed record TextInput(string Text, string? Pair)
{
    public TextExample WithLabel(int label) => new(Text, Pair, label);
}

/// <summary>Task examples as Agora's labelled points.</summary>
public static class TextPoints
{
    public static LabelledPoint<TextInput, int>[] From(IEnumerable<TextExample> examples) =>
        examples.Select(e => new LabelledPoint<TextInput, int>(new TextInput(e.Text, e.Pair), e.Label)).ToArray();
}

/// <summary>A text point on one line of generated.tsv: the sentence, and the pair after a tab when there is one.</summary>
public sealed class TextFormat : IPointFormat<TextInput>
{
    public string Write(TextInput point) => point.Pair is null ? point.Text : point.Text + "\t" + point.Pair;

    public TextInput Read(string text)
    {
        int tab = text.IndexOf('\t');
        return tab < 0 ? new TextInput(text, null) : new TextInput(text[..tab], text[(tab + 1)..]);
    }
}
