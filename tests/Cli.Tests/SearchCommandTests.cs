using System.Globalization;
using System.Text.Json;

namespace Ose.Cli.Tests;

public sealed class SearchCommandTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("ose-cli-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private string Out => Path.Combine(directory, "run");

    /// <summary>A table for the 300 Bort-space candidates whose error falls with capacity, plus some noise.</summary>
    private string WriteErrorTable()
    {
        var space = global::Ose.Spaces.SearchSpace.Resolve(null);
        var random = new Random(7);
        var lines = new List<string> { "D,A,H,I,error" };
        foreach (var ξ in space.Candidates)
        {
            double e = 4.0 / Math.Log(ξ.D * ξ.H * (double)ξ.I * Math.Sqrt(ξ.A)) * (1 + 0.05 * random.NextDouble());
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"{ξ.D},{ξ.A},{ξ.H},{ξ.I},{e}"));
        }
        string path = Path.Combine(directory, "errors.csv");
        File.WriteAllLines(path, lines);
        return path;
    }

    private static List<Dictionary<string, string>> ReadCsv(string path)
    {
        var lines = File.ReadAllLines(path);
        var header = lines[0].Split(',');
        return lines.Skip(1).Select(line => header.Zip(line.Split(',')).ToDictionary(p => p.First, p => p.Second)).ToList();
    }

    [Fact]
    public void Search_with_an_error_table_lists_every_candidate_and_chooses_the_argmax_of_W()
    {
        string errors = WriteErrorTable();
        var run = OseProcess.Run("search", "--epsilon", "0.1", "--source", "bert-large", "--errors", errors,
            "--searcher", "exhaustive", "--out", Out);

        Assert.Equal(0, run.ExitCode);
        var candidates = ReadCsv(Path.Combine(Out, "candidates.csv"));
        Assert.Equal(300, candidates.Count);
        var best = candidates.MaxBy(c => double.Parse(c["W"], CultureInfo.InvariantCulture))!;
        string chosen = $"⟨D={best["D"]}, A={best["A"]}, H={best["H"]}, I={best["I"]}⟩";
        Assert.Contains(chosen, run.StandardOutput);
        foreach (string file in new[] { "front.csv", "search.json", "front.png", "front.svg", "hypervolume.png", "hypervolume.svg", "trials.sqlite" })
            Assert.True(File.Exists(Path.Combine(Out, file)), file);
    }

    [Fact]
    public void Every_candidate_is_covered_by_the_written_front_within_one_plus_epsilon()
    {
        string errors = WriteErrorTable();
        var run = OseProcess.Run("search", "--epsilon", "0.1", "--source", "bert-large", "--errors", errors, "--out", Out);

        Assert.Equal(0, run.ExitCode);
        var truth = ReadCsv(errors).ToDictionary(r => (r["D"], r["A"], r["H"], r["I"]), r => double.Parse(r["error"], CultureInfo.InvariantCulture));
        var front = ReadCsv(Path.Combine(Out, "front.csv"));
        double Value(Dictionary<string, string> row, string column) => double.Parse(row[column], CultureInfo.InvariantCulture);
        foreach (var c in ReadCsv(Path.Combine(Out, "candidates.csv")))
        {
            double e = truth[(c["D"], c["A"], c["H"], c["I"])];
            Assert.Contains(front, f => Value(f, "params") <= 1.1 * Value(c, "params")
                && Value(f, "inference") <= 1.1 * Value(c, "inference") && Value(f, "error") <= 1.1 * e);
        }
    }

    [Fact]
    public void An_error_table_costs_nothing_so_the_search_evaluates_every_candidate_and_says_so()
    {
        string errors = WriteErrorTable();
        var run = OseProcess.Run("search", "--errors", errors, "--out", Out);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("exact, W* = W(chosen): errors from a table cost nothing, so every candidate was evaluated", run.StandardOutput);
        Assert.All(ReadCsv(Path.Combine(Out, "candidates.csv")), c => Assert.Equal("evaluated", c["status"]));
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(Out, "search.json")));
        var certificate = manifest.RootElement.GetProperty("certificate");
        Assert.Equal("Exact", certificate.GetProperty("kind").GetString());
        Assert.Equal(1, certificate.GetProperty("gap").GetDouble());
    }

    [Fact]
    public void The_source_s_own_size_and_cost_are_printed_and_stored()
    {
        var run = OseProcess.Run("search", "--errors", "proxy:scaling-law", "--out", Out);

        Assert.Equal(0, run.ExitCode);
        // bert-large: 335,141,888 parameters (DESIGN §2.2).
        Assert.Contains("335.14M parameters", run.StandardOutput);
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(Out, "search.json")));
        Assert.Equal(335_141_888, manifest.RootElement.GetProperty("inputs").GetProperty("source_parameters").GetDouble());
        Assert.True(manifest.RootElement.GetProperty("inputs").GetProperty("source_inference").GetDouble() > 0);
    }

    [Fact]
    public void A_search_with_measured_latency_records_the_engine_and_a_finite_held_out_error_and_plots_it()
    {
        string config = Path.Combine(directory, "config.json");
        File.WriteAllText(config, """{ "model_type": "bert", "hidden_size": 128, "num_hidden_layers": 2, "num_attention_heads": 2, "intermediate_size": 256, "vocab_size": 1000, "max_position_embeddings": 64, "type_vocab_size": 2 }""");
        string space = Path.Combine(directory, "space.json");
        File.WriteAllText(space, """{ "D": [1, 2], "A": [2], "H": [32, 64, 96, 128], "I": [64, 256] }""");
        var run = OseProcess.Run("search", "--source", config, "--space", space, "--errors", "proxy:scaling-law",
            "--inference", "measured", "--sequence-length", "32", "--out", Out);

        Assert.True(run.ExitCode == 0, run.StandardError);
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(Out, "search.json")));
        var inference = manifest.RootElement.GetProperty("inference");
        Assert.Equal("measured", inference.GetProperty("kind").GetString());
        Assert.Equal("onnxruntime", inference.GetProperty("engine").GetString());
        Assert.True(double.IsFinite(inference.GetProperty("held_out_median_relative_error").GetDouble()));
        Assert.Contains(inference.GetProperty("measurements").EnumerateArray(), m => m.GetProperty("held_out").GetBoolean());
        Assert.True(File.Exists(Path.Combine(Out, "latency.png")));
        Assert.Contains("held-out median relative error", run.StandardOutput);
    }

    [Fact]
    public void A_space_with_candidates_larger_than_the_source_is_a_warning_that_names_them()
    {
        string space = Path.Combine(directory, "space.json");
        File.WriteAllText(space, """{ "D": [2, 28], "A": [16], "H": [1024], "I": [4096] }""");
        var run = OseProcess.Run("search", "--space", space, "--errors", "proxy:scaling-law", "--out", Out);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("warning: 1 candidate(s) of space space are larger than the source in parameters or operations (28,16,1024,4096)",
            run.StandardOutput);
    }

    [Fact]
    public void Running_the_same_search_twice_writes_the_same_outputs_but_for_the_timing_fields()
    {
        string errors = WriteErrorTable();
        OseProcess.Run("search", "--errors", errors, "--out", Out);
        string first = Comparable(File.ReadAllText(Path.Combine(Out, "search.json")));
        string firstCandidates = File.ReadAllText(Path.Combine(Out, "candidates.csv"));
        var again = OseProcess.Run("search", "--errors", errors, "--out", Out);

        Assert.Equal(0, again.ExitCode);
        Assert.Equal(first, Comparable(File.ReadAllText(Path.Combine(Out, "search.json"))));
        Assert.Equal(firstCandidates, File.ReadAllText(Path.Combine(Out, "candidates.csv")));
    }

    /// <summary>search.json without its timings, the one part that may differ between two runs.</summary>
    private static string Comparable(string json)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(json)!.AsObject();
        node.Remove("timings");
        return node.ToJsonString();
    }

    [Theory]
    [InlineData("--source", "no-such-model")]
    [InlineData("--source", "/no/such/config.json")]
    [InlineData("--epsilon", "0")]
    [InlineData("--epsilon", "1")]
    [InlineData("--epsilon", "-0.5")]
    [InlineData("--epsilon", "abc")]
    [InlineData("--errors", "/no/such/errors.csv")]
    [InlineData("--searcher", "simulated-annealing")]
    [InlineData("--budget", "soon")]
    [InlineData("--space", "/no/such/space.json")]
    public void Bad_flags_give_one_line_on_stderr_and_exit_code_2(string flag, string value)
    {
        var arguments = new List<string> { "search", "--out", Out, flag, value };
        if (flag != "--errors") arguments.AddRange(["--errors", "proxy:scaling-law"]);
        var run = OseProcess.Run([.. arguments]);

        Assert.Equal(2, run.ExitCode);
        Assert.Single(run.StandardError.Trim().Split('\n'));
        Assert.StartsWith("ose: ", run.StandardError);
        Assert.False(File.Exists(Path.Combine(Out, "candidates.csv")));
    }

    [Theory]
    [InlineData("99999999999h")]
    [InlineData("1e400")]
    public void A_budget_beyond_TimeSpan_is_refused_as_the_command_line_is_parsed(string budget)
    {
        var run = OseProcess.Run("search", "--errors", "proxy:scaling-law", "--out", Out, "--budget", budget);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal($"ose: --budget must be at most 10,675,199 days, got '{budget}'", run.StandardError.Trim());
        Assert.False(Directory.Exists(Out));
    }

    [Theory]
    [InlineData("{ \"hidden_size\": 768, ")]
    [InlineData("{ \"hidden_size\": 768 }")]
    [InlineData("{ \"model_type\": \"bert\", \"hidden_size\": 770, \"num_hidden_layers\": 2, \"num_attention_heads\": 12, \"intermediate_size\": 64, \"vocab_size\": 10, \"max_position_embeddings\": 8 }")]
    public void A_malformed_config_json_gives_exit_code_2(string json)
    {
        string config = Path.Combine(directory, "config.json");
        File.WriteAllText(config, json);
        var run = OseProcess.Run("search", "--source", config, "--errors", "proxy:scaling-law", "--out", Out);

        Assert.Equal(2, run.ExitCode);
        Assert.Single(run.StandardError.Trim().Split('\n'));
    }

    [Theory]
    [InlineData("{\"D\": [2], \"A\": [12], \"H\": [512], \"I\": [256]}")]
    [InlineData("{\"D\": [], \"A\": [4], \"H\": [512], \"I\": [256]}")]
    public void An_impossible_search_space_gives_exit_code_2(string json)
    {
        string space = Path.Combine(directory, "space.json");
        File.WriteAllText(space, json);
        var run = OseProcess.Run("search", "--space", space, "--errors", "proxy:scaling-law", "--out", Out);

        Assert.Equal(2, run.ExitCode);
        Assert.Single(run.StandardError.Trim().Split('\n'));
    }

    [Theory]
    [InlineData("2,4,512,256,abc")]
    [InlineData("2,4,512,256,NaN")]
    [InlineData("2,4,512,256,-0.3")]
    [InlineData("2,4,512,256,0.5")]
    public void A_bad_or_incomplete_error_table_gives_exit_code_2(string row)
    {
        string errors = Path.Combine(directory, "errors.csv");
        File.WriteAllLines(errors, ["D,A,H,I,error", row]);
        var run = OseProcess.Run("search", "--errors", errors, "--out", Out);

        Assert.Equal(2, run.ExitCode);
        Assert.Single(run.StandardError.Trim().Split('\n'));
        Assert.False(File.Exists(Path.Combine(Out, "candidates.csv")));
    }

    [Fact]
    public void An_output_path_that_cannot_be_a_directory_gives_exit_code_2()
    {
        string file = Path.Combine(directory, "a-file");
        File.WriteAllText(file, "");
        var run = OseProcess.Run("search", "--errors", "proxy:scaling-law", "--out", Path.Combine(file, "run"));

        Assert.Equal(2, run.ExitCode);
        Assert.Single(run.StandardError.Trim().Split('\n'));
    }
}
