namespace Ose.Studies.Tests;

public sealed class StudyConfigTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("ose-study-config-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    private string Write(string json)
    {
        string path = Path.Combine(root, $"study-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json);
        return path;
    }

    [Theory]
    [InlineData("configs/mini-study.json")]
    [InlineData("configs/bort-paper-figures.json")]
    [InlineData("configs/minilm-study.json")]
    public void The_shipped_studies_load(string path)
    {
        var (config, sha256) = StudyConfig.Load(path);
        Assert.False(string.IsNullOrWhiteSpace(config.Description));
        Assert.Equal(64, sha256.Length);
    }

    [Fact]
    public void The_hash_is_of_the_bytes_so_any_edit_changes_it()
    {
        string a = Write("""{"source": "bert-base"}"""), b = Write("""{"source": "bert-base", "seed": 0}""");
        Assert.NotEqual(StudyConfig.Load(a).Sha256, StudyConfig.Load(b).Sha256);
    }

    [Theory]
    [InlineData("""{"source": "bert-base", "serach": {}}""", "serach")]
    [InlineData("""{"source": "bert-base", """, "malformed study config")]
    [InlineData("""{"seed": 1}""", "source")]
    [InlineData("""{"source": "bert-base", "search": {"epsilon": 1.5}}""", "search.epsilon")]
    [InlineData("""{"source": "bert-base", "pretrain": {"steps": 10}}""", "arch")]
    [InlineData("""{"source": "bert-base", "teacher": {"steps": 10, "arch": "2,3,64,256"}}""", "A must divide H")]
    [InlineData("""{"source": "bert-base", "latency": {"batches": []}}""", "latency")]
    [InlineData("""{"source": "bert-base", "paper": [{"claim": "x", "value": 1, "figures": []}]}""", "names no figure")]
    [InlineData("""{"source": "bert-base", "head": {"steps": 10, "arch": "2,2,64,256"}}""", "head")]
    [InlineData("""{"source": "bert-base", "pretrain": {"steps": 10, "arch": "2,2,64,256"}, "finetune": {"tasks": [{"name": "SENT"}, {"name": "x/SENT"}], "train_sizes": [64], "seeds": 1, "theta": [{}], "labeller": {}, "agora": {}}}""", "names SENT twice")]
    [InlineData("""{"source": "bert-base", "pretrain": {"steps": 10, "arch": "2,2,64,256"}, "finetune": {"tasks": [{"name": "SENT", "dev": 100}], "train_sizes": [64], "seeds": 1, "theta": [{}], "labeller": {}, "agora": {}}}""", "both dev and test")]
    [InlineData("""{"source": "bert-base", "pretrain": {"steps": 10, "arch": "2,2,64,256"}, "finetune": {"tasks": [], "train_sizes": [64], "seeds": 1, "theta": [{}], "labeller": {}, "agora": {}}}""", "at least one task")]
    public void A_bad_config_is_a_one_line_user_error_that_names_the_problem(string json, string expected)
    {
        var error = Assert.Throws<UserInputException>(() => StudyConfig.Load(Write(json)));
        Assert.Contains(expected, error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Theory]
    [InlineData("""{"source": "bert-base", "pretrain": {"steps": 10, "arch": "2,2,64,256"}, "finetune": {"tasks": [{"name": "SENT"}], "train_sizes": [64], "seeds": 1, "theta": [{}], "labeller": {}, "agora": {}}}""", "labeller is the teacher")]
    [InlineData("""{"source": "bert-base", "pretrain": {"steps": 10, "arch": "2,2,64,256", "distil": true}}""", "a source with weights to cut the student out of")]
    [InlineData("""{"source": "bert-base", "head": {"steps": 10}}""", "bert-base has none")]
    [InlineData("""{"source": "no-such-model"}""", "unknown source 'no-such-model'")]
    public void What_needs_a_teacher_or_a_source_with_weights_is_refused_before_any_stage_runs(string json, string expected)
    {
        string output = Path.Combine(root, "run");
        var error = Assert.Throws<UserInputException>(() => StudyRun.Execute(Write(json), output, Path.Combine(root, "data"), "cpu"));
        Assert.Contains(expected, error.Message);
        Assert.DoesNotContain('\n', error.Message);
        Assert.False(Directory.Exists(output));
    }

    [Fact]
    public void A_missing_config_is_a_user_error() =>
        Assert.Contains("not found", Assert.Throws<UserInputException>(() => StudyConfig.Load(Path.Combine(root, "none.json"))).Message);
}
