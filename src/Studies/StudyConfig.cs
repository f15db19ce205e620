using System.Security.Cryptography;
using System.Text;
using Ose.IO;
using System.Text.Json.Serialization;
using System.Text.Json;

namespace Ose.Studies;

/// <summary>
/// A study: one JSON file (configs/*.json) that drives search → teacher → pretraining of the chosen student → fine-tuning
/// on each task with and without Agora → latency, with its seeds. Every section but <c>source</c> is optional; a stage
/// runs when its section is present. Unknown keys are errors, so a typo cannot silently fall back to a default.
/// </summary>
/// <param name="Source">A preset, a config.json, or a source with weights (minilm, an ONNX file, a Hugging Face folder).</param>
/// <param name="Head">A masked-LM head trained over a source with weights that has none, for Agora's sampler.</param>
public sealed record StudyConfig(
    string Source,
    string? Description = null,
    long Seed = 0,
    ArchitecturesSection? Architectures = null,
    SearchSection? Search = null,
    PretrainingSection? Teacher = null,
    PretrainingSection? Head = null,
    PretrainingSection? Pretrain = null,
    FineTuningSection? Finetune = null,
    LatencySection? Latency = null,
    IReadOnlyList<PaperClaim>? Paper = null)
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
    };

    /// <summary>The config and the SHA-256 of its bytes (the study's identity in its manifest).</summary>
    public static (StudyConfig Config, string Sha256) Load(string path)
    {
        if (!File.Exists(path)) throw new UserInputException($"study config not found: {path}");
        byte[] bytes = File.ReadAllBytes(path);
        var config = StrictJson.Deserialize<StudyConfig>(Encoding.UTF8.GetString(bytes), Json, $"study config {path}");
        config.Validate(path);
        return (config, Convert.ToHexStringLower(SHA256.HashData(bytes)));
    }

    private void Validate(string path)
    {
        void Require(bool condition, string message)
        {
            if (!condition) throw new UserInputException($"study config {path}: {message}");
        }
        Require(!string.IsNullOrWhiteSpace(Source), "\"source\" must name a preset, a config.json or a source with weights");
        // Sources and spaces are resolved against the data directory, before the first stage (StudyRun.CheckInputs).
        foreach (string name in Architectures?.Students ?? [])
            if (name.Contains(',')) Architecture.Parse(name, "architectures.students");
        if (Search is { } s)
        {
            Require(s.Epsilon is > 0 and < 1, $"search.epsilon must lie strictly between 0 and 1, got {s.Epsilon}");
            Require(s.MaxEvaluations is null or > 0, "search.max_evaluations must be positive");
        }
        foreach (var (name, p) in new[] { ("teacher", Teacher), ("head", Head), ("pretrain", Pretrain) })
            if (p is not null)
            {
                Require(p.Steps > 0 && p.Batch > 0 && p.Seq > 0 && p.LearningRate > 0, $"{name}: steps, batch, seq and learning_rate must be positive");
                if (p.Arch is { } arch) Architecture.Parse(arch, $"{name}.arch");
            }
        Require(Head is null || (Head.Arch is null && !Head.Distil), "head: a head over the source has no \"arch\" and does not distil");
        Require(Pretrain is null || Pretrain.Arch is not null || Search is not null, "pretrain needs an \"arch\" or a \"search\" whose choice it pretrains");
        if (Finetune is { } f)
        {
            Require(Pretrain is not null, "finetune needs a \"pretrain\" section: it fine-tunes the pretrained student");
            Require(f.Tasks.Count > 0, "finetune.tasks must name at least one task");
            foreach (var task in f.Tasks)
            {
                Require(!string.IsNullOrWhiteSpace(task.Name), "finetune.tasks: every task needs a \"name\" (a prepared task or a folder)");
                Require((task.Dev, task.Test) is (null, null) or ( > 0, > 0), $"finetune.tasks {task.Name}: give both dev and test sizes (positive), or neither");
            }
            var duplicate = f.Tasks.GroupBy(t => t.Key).FirstOrDefault(g => g.Count() > 1);
            Require(duplicate is null, $"finetune.tasks names {duplicate?.Key} twice");
            Require(f.TrainSizes.Count > 0 && f.TrainSizes.All(n => n >= 2), "finetune.train_sizes must list sizes of at least 2");
            Require(f.Seeds > 0, "finetune.seeds must be positive");
            Require(f.Theta.Count > 0, "finetune.theta must list at least one hyperparameter set");
            foreach (var θ in f.Theta.Append(f.Labeller).Concat(f.Student is { } student ? [student] : [])) θ.Validate();
            Require(f.Agora.Rounds > 0 && f.Agora.K > 0, "finetune.agora.rounds and k must be positive");
            Require(f.Agora.Fraction is > 0 and <= 1, "finetune.agora.fraction must lie in (0, 1]");
        }
        if (Latency is { } l)
            Require(l.Batches.Count > 0 && l.Batches.All(b => b > 0) && l.SequenceLength > 0 && l.Threads > 0 && l.Repeats > 0,
                "latency: batches, sequence_length, threads and repeats must be positive");
        foreach (var claim in Paper ?? [])
            Require(claim.Figures.Count > 0, $"paper claim '{claim.Claim}' names no figure to compare with");
    }
}

/// <summary>Architectures whose sizes and operation counts the study tabulates: sources, and students compared with each.</summary>
/// <param name="Sources">Presets or config.json files; the study's source when empty.</param>
/// <param name="Students">Presets, config.json files, or D,A,H,I (on the first source's shape).</param>
public sealed record ArchitecturesSection(IReadOnlyList<string>? Sources = null, IReadOnlyList<string>? Students = null);

/// <summary>
/// The OSE search (as <c>ose search</c>, without a time budget, so a re-run finds the same answer). The error defaults
/// as there: distilled from a source with weights, else trained.
/// </summary>
public sealed record SearchSection(
    string? Space = null,
    double Epsilon = 0.1,
    string? Errors = null,
    string Searcher = "fptas",
    int? MaxEvaluations = null,
    int SequenceLength = 128);

/// <summary>
/// Masked-LM pretraining of one model. The student's may distil: from the study's teacher when there is one, else cut
/// out of the source with weights and distilled from it (`ose pretrain --init extract`).
/// </summary>
/// <param name="Arch">D,A,H,I; the teacher defaults to the source's ξ, the student to the search's choice.</param>
public sealed record PretrainingSection(
    int Steps,
    string? Arch = null,
    int Batch = 16,
    int Seq = 64,
    double LearningRate = 1e-3,
    bool Distil = false);

/// <summary>
/// Per task: the labeller (the teacher, or the source with weights, fine-tuned on the whole training split: also the
/// source's score in the Bort table), the student fine-tuned on the whole training split when <c>student</c> is given
/// (its score in the Bort table), and plain fine-tuning against Agora on scarce splits.
/// </summary>
public sealed record FineTuningSection(
    IReadOnlyList<StudyTask> Tasks,
    IReadOnlyList<int> TrainSizes,
    int Seeds,
    IReadOnlyList<HyperParameters> Theta,
    HyperParameters Labeller,
    AgoraSection Agora,
    HyperParameters? Student = null);

/// <summary>A prepared task (SENT) or a task folder; with dev and test sizes it is re-split first (`ose data split`), into the run folder.</summary>
public sealed record StudyTask(string Name, int? Dev = null, int? Test = null)
{
    /// <summary>How figures, stages and folders name the task: the prepared name, or the folder's name.</summary>
    public string Key => Path.GetFileName(Name.TrimEnd('/', Path.DirectorySeparatorChar));
}

/// <param name="ForceLabeller">Run with a labeller whose dev score is not above 2/3 (the papers' condition), as `ose agora --force`.</param>
public sealed record AgoraSection(int Rounds = 2, int K = 4, double Fraction = 0.15, double MinConfidence = 0.6, bool ForceLabeller = false);

/// <summary>Measured CPU forward latency (random weights) of every source and student, and of the search's choice.</summary>
public sealed record LatencySection(IReadOnlyList<int> Batches, int SequenceLength = 128, int Threads = 2, int Repeats = 10);

/// <summary>A number from a paper and the figures of ours that it should be read against.</summary>
public sealed record PaperClaim(string Claim, double Value, IReadOnlyList<string> Figures);
