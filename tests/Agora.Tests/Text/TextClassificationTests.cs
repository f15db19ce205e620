using Ose.Agora.Text;
using Ose.Tasks;

namespace Ose.Agora.Tests.Text;

public sealed class TextClassificationTests
{
    private readonly TextFormat format = new();

    [Fact]
    public void A_single_sentence_is_written_as_itself_and_read_back()
    {
        var point = new TextInput("a film, \"quite\" good: 5/5", null);

        Assert.Equal("a film, \"quite\" good: 5/5", format.Write(point));
        Assert.Equal(point, format.Read(format.Write(point)));
    }

    [Fact]
    public void A_sentence_pair_is_written_tab_separated_and_read_back()
    {
        var point = new TextInput("a cat sat", "a cat was sitting");

        Assert.Equal("a cat sat\ta cat was sitting", format.Write(point));
        Assert.Equal(point, format.Read(format.Write(point)));
    }

    [Fact]
    public void Only_the_first_tab_separates_the_pair_so_a_tab_inside_the_second_sentence_survives()
    {
        var point = new TextInput("first", "second\twith a tab");

        Assert.Equal(point, format.Read(format.Write(point)));
    }

    [Fact]
    public void An_empty_second_sentence_stays_a_pair()
    {
        var point = new TextInput("first", "");

        Assert.Equal(point, format.Read(format.Write(point)));
    }

    [Fact]
    public void Task_examples_become_labelled_points_and_back()
    {
        TextExample[] examples = [new("good", null, 1), new("a", "b", 0)];

        var points = TextPoints.From(examples);

        Assert.Equal([new TextInput("good", null), new TextInput("a", "b")], points.Select(p => p.Point));
        Assert.Equal([1, 0], points.Select(p => p.Label));
        Assert.All(points, p => Assert.Null(p.Origin));
        Assert.Equal(examples, points.Select(p => p.Point.WithLabel(p.Label)));
    }
}
