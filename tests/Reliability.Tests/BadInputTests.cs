using System.Security.Cryptography;
using System.Text;
using Ose.IO;
using Xunit.Abstractions;

namespace Ose.Reliability.Tests;

/// <summary>The tiny world plus the broken files the bad inputs name, and one finished pretraining to resume wrongly.</summary>
public sealed class BadInputWorld : IDisposable
{
    public TinyWorld World { get; } = new();

    public string Bad => Path.Combine(World.Root, "bad");

    /// <summary>A finished `ose pretrain` (--lr 0.001, seed 0): running it again with other options must be refused.</summary>
    public string Finished => Path.Combine(World.Runs, "finished");

    public BadInputWorld()
    {
        Directory.CreateDirectory(Bad);
        void Write(string name, string text) => File.WriteAllText(Path.Combine(Bad, name), text);
        Write("a-file", "not a folder");
        Write("dup-source.json", """{"model_type": "bert", "hidden_size": 32, "hidden_size": 64, "num_hidden_layers": 2, "num_attention_heads": 2, "intermediate_size": 64, "vocab_size": 19, "max_position_embeddings": 64}""");
        Write("dup-space.json", """{"D": [1], "A": [2], "H": [32], "I": [64], "D": [2]}""");
        Write("nan-errors.csv", "D,A,H,I,error\n1,2,16,32,NaN\n");
        Write("dup-theta.json", """{"theta": [{"learning_rate": 1e-3, "steps": 10, "steps": 20}]}""");
        Write("unknown-theta.json", """{"theta": [{"learning_rate": 1e-3, "stepz": 10}]}""");
        Write("type-theta.json", """{"theta": [{"learning_rate": 1e-3, "steps": "ten"}]}""");
        Write("dup-study.json", """{"source": "bert-base", "source": "bert-large"}""");
        Write("type-study.json", """{"source": "bert-base", "seed": "zero"}""");
        Write("unknown-study.json", """{"source": "bert-base", "serach": {}}""");
        Write("null-study.json", """{"source": null}""");
        Write("analytic-study.json", """{"source": "bert-base", "architectures": {"students": ["4,8,768,1024"]}}""");
        Write("proxy-study.json", """{"source": "bert-base", "search": {"errors": "proxy:foo"}}""");
        World.WriteStudy(Path.Combine(Bad, "missing-task-study.json"), task: "NO-SUCH-TASK");

        string dupTask = Path.Combine(Bad, "dup-task");
        CopyFolder(World.Task, dupTask);
        File.WriteAllText(Path.Combine(dupTask, "task.json"), """{"metric": "accuracy", "metric": "f1"}""");
        string latin1Task = Path.Combine(Bad, "latin1-task");
        CopyFolder(World.Task, latin1Task);
        using (var stream = File.Open(Path.Combine(latin1Task, "train.tsv"), FileMode.Append))
            stream.Write(Encoding.Latin1.GetBytes("a caf\u00e9 was good\tpos\n"));

        string truncated = Path.Combine(Bad, "truncated-model");
        CopyFolder(World.Student, Path.Combine(truncated, "model"));
        string weights = Path.Combine(truncated, "model", "model.safetensors");
        File.WriteAllBytes(weights, File.ReadAllBytes(weights)[..1000]);
        string dupConfig = Path.Combine(Bad, "dup-config-model");
        CopyFolder(World.Student, Path.Combine(dupConfig, "model"));
        string config = Path.Combine(dupConfig, "model", "config.json");
        File.WriteAllText(config, File.ReadAllText(config).Replace("\"hidden_size\": 32,", "\"hidden_size\": 32, \"hidden_size\": 64,"));

        var finished = OseProcess.Run(LongCommands.Pretrain(World, Finished, steps: 2));
        Assert.True(finished.Code == 0, finished.ToString());
    }

    private static void CopyFolder(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (string file in Directory.GetFiles(from)) File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
    }

    public void Dispose() => World.Dispose();
}

/// <summary>
/// Bad input across every command, as a demanding user types it: each is one line on stderr beginning "ose: ", exit code
/// 2, no stack trace, no .NET type name or internal file name, and nothing written anywhere (every file of the world,
/// runs included, is byte-identical before and after).
/// </summary>
public sealed class BadInputTests(BadInputWorld fixture, ITestOutputHelper log) : IClassFixture<BadInputWorld>
{
    private TinyWorld World => fixture.World;

    /// <summary>One bad input: what the user typed ($placeholders name the world's files) and a fragment the line must hold.</summary>
    public sealed record Case(string Expected, string[] Arguments)
    {
        public override string ToString() => string.Join(' ', Arguments);
    }

    private static object[] C(string expected, params string[] arguments) => [new Case(expected, arguments)];

    private const string Proxy = "proxy:scaling-law";

    public static IEnumerable<object[]> Cases =>
    [
        // search
        C("--epsilon must be a number in (0, 1), got 0", "search", "--errors", Proxy, "--epsilon", "0", "--out", "$out"),
        C("--epsilon must be a number in (0, 1), got 1", "search", "--errors", Proxy, "--epsilon", "1", "--out", "$out"),
        C("got NaN", "search", "--errors", Proxy, "--epsilon", "NaN", "--out", "$out"),
        C("got Infinity", "search", "--errors", Proxy, "--epsilon", "Infinity", "--out", "$out"),
        C("got 'abc'", "search", "--errors", Proxy, "--epsilon", "abc", "--out", "$out"),
        C("--max-evaluations must be a whole number from 1", "search", "--errors", Proxy, "--max-evaluations", "0", "--out", "$out"),
        C("got '99999999999'", "search", "--errors", Proxy, "--max-evaluations", "99999999999", "--out", "$out"),
        C("--max-evaluations must be a whole number", "search", "--errors", Proxy, "--max-evaluations", "ten", "--out", "$out"),
        C("--sequence-length must be a whole number from 1", "search", "--errors", Proxy, "--sequence-length", "-128", "--out", "$out"),
        C("--seed expects a whole number", "search", "--errors", Proxy, "--seed", "99999999999999999999", "--out", "$out"),
        C("unknown source 'no-such-model'", "search", "--errors", Proxy, "--source", "no-such-model", "--out", "$out"),
        C("source config not found", "search", "--errors", Proxy, "--source", "/no/such/config.json", "--out", "$out"),
        C("the key \"hidden_size\" appears twice", "search", "--errors", Proxy, "--source", "$bad/dup-source.json", "--out", "$out"),
        C("malformed config", "search", "--errors", Proxy, "--source", "$bad/a-file", "--out", "$out"),
        C("search space not found", "search", "--errors", Proxy, "--space", "/no/such/space.json", "--out", "$out"),
        C("the key \"D\" appears twice", "search", "--errors", Proxy, "--space", "$bad/dup-space.json", "--out", "$out"),
        C("the proxies are proxy:scaling-law", "search", "--errors", "proxy:foo", "--out", "$out"),
        C("errors file not found", "search", "--errors", "/no/such/errors.csv", "--out", "$out"),
        C("is not a finite number", "search", "--errors", "$bad/nan-errors.csv", "--space", "$space", "--source", "$source", "--out", "$out"),
        C("unknown searcher 'annealing'", "search", "--errors", Proxy, "--searcher", "annealing", "--out", "$out"),
        C("--budget must be a duration such as 90s, 10m, 1h30m, or none, got 'soon'", "search", "--errors", Proxy, "--budget", "soon", "--out", "$out"),
        C("--budget must be at most 10,675,199 days, got '99999999999h'", "search", "--errors", Proxy, "--budget", "99999999999h", "--out", "$out"),
        C("is a file, not a folder", "search", "--errors", Proxy, "--out", "$bad/a-file/run"),
        C("cannot write to folder /proc", "search", "--errors", Proxy, "--out", "/proc/self/ose-run"),
        C("Unrecognized command or argument '--epsilonn'", "search", "--errors", Proxy, "--epsilonn", "0.1", "--out", "$out"),
        C("is the --space it reads", "search", "--errors", Proxy, "--space", "$space", "--out", "$space"),
        // pretrain
        C("--arch 2,3,32,64: every size must be positive and A must divide H", "pretrain", "--arch", "2,3,32,64", "--steps", "5", "--data", "$data", "--out", "$out"),
        C("--arch must be D,A,H,I", "pretrain", "--arch", "big", "--steps", "5", "--data", "$data", "--out", "$out"),
        C("Option '--arch' is required", "pretrain", "--steps", "5", "--data", "$data", "--out", "$out"),
        C("--steps must be a whole number from 1", "pretrain", "--arch", "2,2,32,64", "--steps", "0", "--data", "$data", "--out", "$out"),
        C("got '99999999999'", "pretrain", "--arch", "2,2,32,64", "--steps", "99999999999", "--data", "$data", "--out", "$out"),
        C("--batch must be a whole number from 1", "pretrain", "--arch", "2,2,32,64", "--steps", "5", "--batch", "-1", "--data", "$data", "--out", "$out"),
        C("--seq must be a whole number from 4", "pretrain", "--arch", "2,2,32,64", "--steps", "5", "--seq", "2", "--data", "$data", "--out", "$out"),
        C("--lr must be a positive finite number, got 0", "pretrain", "--arch", "2,2,32,64", "--steps", "5", "--lr", "0", "--data", "$data", "--out", "$out"),
        C("--lr must be a positive finite number, got NaN", "pretrain", "--arch", "2,2,32,64", "--steps", "5", "--lr", "NaN", "--data", "$data", "--out", "$out"),
        C("--lr must be a positive finite number, got -Infinity", "pretrain", "--arch", "2,2,32,64", "--steps", "5", "--lr", "-Infinity", "--data", "$data", "--out", "$out"),
        C("--warmup must lie in [0, --steps], got 10", "pretrain", "--arch", "2,2,32,64", "--steps", "5", "--warmup", "10", "--data", "$data", "--out", "$out"),
        C("--weight-clip must be a positive finite number", "pretrain", "--arch", "2,2,32,64", "--steps", "5", "--weight-clip", "-1", "--data", "$data", "--out", "$out"),
        C("--checkpoint-every must be a whole number from 0", "pretrain", "--arch", "2,2,32,64", "--steps", "5", "--checkpoint-every", "-5", "--data", "$data", "--out", "$out"),
        C("--init extract needs --teacher", "pretrain", "--arch", "2,2,32,64", "--steps", "5", "--init", "extract", "--data", "$data", "--out", "$out"),
        C("source 'nosuch' has no weights", "pretrain", "--arch", "2,2,32,64", "--steps", "5", "--init", "extract", "--teacher", "nosuch", "--data", "$data", "--out", "$out"),
        C("--checkpoint-every must be at least 1", "pretrain", "--arch", "2,2,32,64", "--steps", "5", "--init", "extract", "--teacher", "$source", "--checkpoint-every", "0", "--data", "$data", "--out", "$out"),
        C("Argument 'copy' not recognized", "pretrain", "--arch", "2,2,32,64", "--steps", "5", "--init", "copy", "--data", "$data", "--out", "$out"),
        C("too few for 5000 dev and 5000 test", "data", "split", "--task", "$task", "--dev", "5000", "--test", "5000", "--data", "$data", "--out", "$out"),
        C("--dev must be a whole number from 1", "data", "split", "--task", "$task", "--dev", "0", "--test", "5", "--data", "$data", "--out", "$out"),
        C("holds the --task it reads", "data", "split", "--task", "$task", "--dev", "5", "--test", "5", "--data", "$data", "--out", "$data"),
        C("--teacher /no/such/teacher: no such folder", "pretrain", "--arch", "2,2,32,64", "--steps", "5", "--teacher", "/no/such/teacher", "--data", "$data", "--out", "$out"),
        C("is not a checkpoint folder", "pretrain", "--arch", "2,2,32,64", "--steps", "5", "--batch", "4", "--seq", "16", "--teacher", "$data", "--data", "$data", "--out", "$out"),
        C("is missing: run `ose data prepare` first", "pretrain", "--arch", "2,2,32,64", "--steps", "5", "--data", "$bad", "--out", "$out"),
        C("--device must be cpu or cuda, got 'tpu'", "pretrain", "--arch", "2,2,32,64", "--steps", "5", "--device", "tpu", "--data", "$data", "--out", "$out"),
        C("is the --data it reads", "pretrain", "--arch", "2,2,32,64", "--steps", "5", "--batch", "4", "--seq", "16", "--data", "$data", "--out", "$data"),
        C("is the --teacher it reads", "pretrain", "--arch", "2,2,32,64", "--steps", "5", "--batch", "4", "--seq", "16", "--teacher", "$student", "--data", "$data", "--out", "$student"),
        C("--lr 0.001 then, 0.002 now", "pretrain", "--arch", "2,2,32,64", "--steps", "2", "--batch", "4", "--seq", "16", "--checkpoint-every", "50", "--lr", "0.002", "--data", "$data", "--out", "$finished"),
        C("--seed 0 then, 3 now", "pretrain", "--arch", "2,2,32,64", "--steps", "2", "--batch", "4", "--seq", "16", "--checkpoint-every", "50", "--seed", "3", "--data", "$data", "--out", "$finished"),
        // finetune
        C("--model /no/such/model: not an `ose pretrain` output", "finetune", "--model", "/no/such/model", "--task", "$task", "--data", "$data", "--out", "$out"),
        C("task 'NOPE' not found", "finetune", "--model", "$student", "--task", "NOPE", "--data", "$data", "--out", "$out"),
        C("the key \"metric\" appears twice", "finetune", "--model", "$student", "--task", "$bad/dup-task", "--data", "$data", "--out", "$out"),
        C("not valid UTF-8", "finetune", "--model", "$student", "--task", "$bad/latin1-task", "--data", "$data", "--out", "$out"),
        C("--train-size must be a whole number from 1", "finetune", "--model", "$student", "--task", "$task", "--train-size", "0", "--data", "$data", "--out", "$out"),
        C("--eval-every must be a whole number from 1", "finetune", "--model", "$student", "--task", "$task", "--eval-every", "0", "--data", "$data", "--out", "$out"),
        C("--max-length must be a whole number from 4", "finetune", "--model", "$student", "--task", "$task", "--max-length", "3", "--data", "$data", "--out", "$out"),
        C("do not fit the model's 32 positions", "finetune", "--model", "$student", "--task", "$task", "--max-length", "100", "--steps", "2", "--data", "$data", "--out", "$out"),
        C("is the --model it reads", "finetune", "--model", "$student", "--task", "$task", "--steps", "2", "--data", "$data", "--out", "$student"),
        C("holds the --task it reads", "finetune", "--model", "$student", "--task", "$task", "--steps", "2", "--data", "$data", "--out", "$data"),
        C("is not a safetensors file", "finetune", "--model", "$bad/truncated-model", "--task", "$task", "--data", "$data", "--out", "$out"),
        C("it holds an `ose pretrain` run, not `ose finetune`", "finetune", "--model", "$student", "--task", "$task", "--steps", "2", "--data", "$data", "--out", "$finished"),
        // agora
        C("--min-confidence must be a number in [0, 1], got NaN", "agora", "run", "--model", "$student", "--task", "$task", "--labeller", "$labeller", "--min-confidence", "NaN", "--data", "$data", "--out", "$out"),
        C("--min-confidence must be a number in [0, 1], got 1.5", "agora", "run", "--model", "$student", "--task", "$task", "--labeller", "$labeller", "--min-confidence", "1.5", "--data", "$data", "--out", "$out"),
        C("--fraction must be a number in (0, 1], got 0", "agora", "run", "--model", "$student", "--task", "$task", "--labeller", "$labeller", "--fraction", "0", "--data", "$data", "--out", "$out"),
        C("--k must be a whole number from 1", "agora", "run", "--model", "$student", "--task", "$task", "--labeller", "$labeller", "--k", "0", "--data", "$data", "--out", "$out"),
        C("--rounds must be a whole number from 1", "agora", "run", "--model", "$student", "--task", "$task", "--labeller", "$labeller", "--rounds", "0", "--data", "$data", "--out", "$out"),
        C("--replay must be a whole number from 0", "agora", "run", "--model", "$student", "--task", "$task", "--labeller", "$labeller", "--replay", "-1", "--data", "$data", "--out", "$out"),
        C("Θ file not found", "agora", "run", "--model", "$student", "--task", "$task", "--labeller", "$labeller", "--theta", "/no/such/theta.json", "--data", "$data", "--out", "$out"),
        C("the key \"theta[0].steps\" appears twice", "agora", "run", "--model", "$student", "--task", "$task", "--labeller", "$labeller", "--theta", "$bad/dup-theta.json", "--data", "$data", "--out", "$out"),
        C("unknown key \"theta[0].stepz\"", "agora", "run", "--model", "$student", "--task", "$task", "--labeller", "$labeller", "--theta", "$bad/unknown-theta.json", "--data", "$data", "--out", "$out"),
        C("\"theta[0].steps\" holds a value of the wrong kind", "agora", "run", "--model", "$student", "--task", "$task", "--labeller", "$labeller", "--theta", "$bad/type-theta.json", "--data", "$data", "--out", "$out"),
        C("/no/such/labeller is not a classifier folder", "agora", "run", "--model", "$student", "--task", "$task", "--labeller", "/no/such/labeller", "--theta", "$theta", "--data", "$data", "--out", "$out"),
        C("is the --labeller it reads", "agora", "run", "--model", "$student", "--task", "$task", "--labeller", "$labeller", "--theta", "$theta", "--force", "--data", "$data", "--out", "$labeller"),
        C("--train-sizes must be comma-separated whole numbers of at least 2", "agora", "compare", "--model", "$student", "--task", "$task", "--labeller", "$labeller", "--train-sizes", "16,abc", "--data", "$data", "--out", "$out"),
        C("--train-sizes must be comma-separated whole numbers of at least 2", "agora", "compare", "--model", "$student", "--task", "$task", "--labeller", "$labeller", "--train-sizes", "1", "--data", "$data", "--out", "$out"),
        C("/no/such/comparison is not an `ose agora compare` output", "agora", "pool", "/no/such/comparison"),
        C("is not an `ose agora compare` output", "agora", "pool", "$data"),
        C("--seeds must be a whole number from 1", "agora", "compare", "--model", "$student", "--task", "$task", "--labeller", "$labeller", "--seeds", "0", "--data", "$data", "--out", "$out"),
        // run
        C("study config not found", "run", "/no/such/study.json", "--out", "$out"),
        C("the key \"source\" appears twice", "run", "$bad/dup-study.json", "--out", "$out"),
        C("\"seed\" holds a value of the wrong kind", "run", "$bad/type-study.json", "--out", "$out"),
        C("unknown key \"serach\"", "run", "$bad/unknown-study.json", "--out", "$out"),
        C("\"source\" must not be null", "run", "$bad/null-study.json", "--out", "$out"),
        C("manifest not found: /no/such/manifest.json", "run", "$bad/analytic-study.json", "--expect", "/no/such/manifest.json", "--out", "$out"),
        C("task 'NO-SUCH-TASK' not found", "run", "$bad/missing-task-study.json", "--data", "$data", "--out", "$out"),
        C("the proxies are proxy:scaling-law", "run", "$bad/proxy-study.json", "--out", "$out"),
        C("is a file, not a folder", "run", "$bad/analytic-study.json", "--out", "$bad/a-file"),
        // export, data
        C("run folder not found", "export", "--run", "/no/such/run", "--data", "$data", "--out", "$out"),
        C("holds the run being exported", "export", "--run", "$finished", "--data", "$data", "--out", "$finished"),
        C("is not a safetensors file", "export", "--run", "$bad/truncated-model", "--data", "$data", "--out", "$out"),
        C("the key \"hidden_size\" appears twice", "export", "--run", "$bad/dup-config-model", "--data", "$data", "--out", "$out"),
        C("is a file, not a folder", "data", "prepare", "--data", "$bad/a-file"),
        C("cannot write to folder /proc/self/ose-data", "data", "prepare", "--data", "/proc/self/ose-data"),
        // sources with weights: inspect, extract, train-head, compare-errors, the distillation error
        C("unknown source 'no-such-source'", "inspect", "no-such-source"),
        C("malformed config", "inspect", "$bad/a-file"),
        C("every size must be positive and A must divide H", "extract", "--source", "$source", "--arch", "2,5,384,100", "--out", "$out"),
        C("has no weights", "extract", "--source", "$source", "--arch", "1,2,16,32", "--out", "$out"),
        C("has no weights", "train-head", "--source", "$source", "--data", "$data"),
        C("search space not found: /no/such/space.json", "compare-errors", "--space", "/no/such/space.json", "--out", "$out"),
        C("--errors distil needs a source with weights", "search", "--source", "$source", "--errors", "distil", "--data", "$data", "--out", "$out"),
        C("Unrecognized command or argument 'frobnicate'", "frobnicate"),
    ];

    private string[] Resolve(string[] arguments, string output) => arguments.Select(a => a
        .Replace("$out", output).Replace("$data", World.Data).Replace("$student", World.Student).Replace("$labeller", World.Labeller)
        .Replace("$theta", World.Theta).Replace("$task", World.Task).Replace("$source", World.Source).Replace("$space", World.Space)
        .Replace("$bad", fixture.Bad).Replace("$finished", fixture.Finished)).ToArray();

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_bad_input_is_one_line_and_exit_code_2_with_no_trace_and_nothing_written(Case input)
    {
        var before = Snapshot(World.Root);
        var run = OseProcess.Run(Resolve(input.Arguments, World.NewRun("bad")));
        log.WriteLine(run.Error);

        Assert.True(run.Code == 2, run.ToString());
        string line = Assert.Single(run.ErrorLines);
        Assert.StartsWith("ose: ", line);
        Assert.Contains(input.Expected, line);
        Assert.DoesNotMatch(@"System\.|Ose\.[A-Z]|`1|\.[0-9a-f]{32}\.|\.probe-", line);
        Assert.Equal(before, Snapshot(World.Root));
    }

    [Fact]
    public void The_table_covers_at_least_sixty_bad_inputs_across_every_command()
    {
        var commands = Cases.Select(c => ((Case)c[0]).Arguments[0]).ToHashSet();
        Assert.True(Cases.Count() >= 60);
        Assert.Superset(new HashSet<string> { "search", "pretrain", "finetune", "agora", "run", "export", "data" }, commands);
    }

    [Fact]
    public void A_folder_another_process_holds_is_refused_naming_that_process_and_left_as_it_is()
    {
        using var held = FolderLock.Acquire(fixture.Finished);
        var before = Snapshot(World.Root);

        var run = OseProcess.Run(LongCommands.Pretrain(World, fixture.Finished, steps: 2));

        Assert.Equal(2, run.Code);
        Assert.Contains($"is in use by process {Environment.ProcessId} on {Environment.MachineName}", Assert.Single(run.ErrorLines));
        Assert.Equal(before, Snapshot(World.Root));
    }

    /// <summary>Every file and folder under <paramref name="root"/> with a hash of its content.</summary>
    private static SortedDictionary<string, string> Snapshot(string root) =>
        new(Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories).ToDictionary(
            entry => Path.GetRelativePath(root, entry),
            entry => Directory.Exists(entry) ? "folder"
                // A held lock cannot be read through .NET (it takes a shared flock to read); its text is only its owner's name.
                : Path.GetFileName(entry) == FolderLock.FileName ? "lock"
                : Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(entry)))), StringComparer.Ordinal);
}
