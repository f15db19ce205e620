using Ose.Objectives;

namespace Ose.Tests.Objectives;

public sealed class ErrorTableTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("ose-errors-").FullName;
    private static readonly Architecture[] Candidates = [new(2, 4, 8, 16), new(4, 4, 8, 16)];

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private string Write(params string[] lines)
    {
        string path = Path.Combine(directory, "errors.csv");
        File.WriteAllLines(path, lines);
        return path;
    }

    [Fact]
    public void A_good_table_gives_each_candidate_its_row()
    {
        var table = ErrorTable.Load(Write("D,A,H,I,error", "2,4,8,16,0.5", "4,4,8,16,0.25"), Candidates);
        Assert.Equal(0.5, table.Evaluate(Candidates[0]));
        Assert.Equal(0.25, table.Evaluate(Candidates[1]));
    }

    [Fact]
    public void Columns_may_come_in_any_order_and_extra_columns_are_ignored()
    {
        var table = ErrorTable.Load(Write("error,I,H,A,D,note", "0.5,16,8,4,2,x", "0.25,16,8,4,4,y"), Candidates);
        Assert.Equal(0.25, table.Evaluate(Candidates[1]));
    }

    [Fact]
    public void Two_tables_with_different_contents_have_different_identities()
    {
        string a = ErrorTable.Load(Write("D,A,H,I,error", "2,4,8,16,0.5", "4,4,8,16,0.25"), Candidates).Identity;
        string b = ErrorTable.Load(Write("D,A,H,I,error", "2,4,8,16,0.5", "4,4,8,16,0.26"), Candidates).Identity;
        Assert.NotEqual(a, b);
    }

    [Theory]
    [InlineData("2,4,8,16,0.5")]                        // a candidate has no row
    [InlineData("2,4,8,16,0.5", "4,4,8,16,abc")]        // not a number
    [InlineData("2,4,8,16,0.5", "4,4,8,16,NaN")]
    [InlineData("2,4,8,16,0.5", "4,4,8,16,Infinity")]
    [InlineData("2,4,8,16,0.5", "4,4,8,16,-0.1")]
    [InlineData("2,4,8,16,0.5", "4,4,8,16,0")]
    [InlineData("2,4,8,16,0.5", "2,4,8,16,0.6", "4,4,8,16,0.2")]   // a duplicate row
    [InlineData("2,4,8,x,0.5", "4,4,8,16,0.2")]
    public void A_bad_table_is_a_user_error_naming_the_problem(params string[] rows)
    {
        var error = Assert.Throws<UserInputException>(() => ErrorTable.Load(Write(["D,A,H,I,error", .. rows]), Candidates));
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void A_table_without_an_error_column_is_a_user_error() =>
        Assert.Throws<UserInputException>(() => ErrorTable.Load(Write("D,A,H,I,loss", "2,4,8,16,0.5"), Candidates));

    [Fact]
    public void A_missing_file_is_a_user_error() =>
        Assert.Throws<UserInputException>(() => ErrorTable.Load(Path.Combine(directory, "none.csv"), Candidates));
}
