using Ose.Plots;
using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text;
using Ose.IO;
using Ose.Agora;
using Ose.Training;

namespace Ose.Studies;

/// <summary>
/// The study's report (<c>report.md</c> with its plots under <c>figures/</c>) and <c>manifest.json</c>: config hash, code
/// and package versions, seeds, data checksums, every figure and measurement, and the checksum of every file reported.
/// </summary>
internal static class StudyReport
{
    public const string ReportFile = "report.md", ManifestFile = "manifest.json";

    /// <returns>The manifest's path.</returns>
    public static string Write(StudyContext context, string configPath, string configSha256)
    {
        var run = context.Run;
        Directory.CreateDirectory(run.File("figures"));
        var plots = new List<string>();
        void Copy(string from, string name)
        {
            if (!File.Exists(from)) return;
            string to = Path.Combine("figures", name);
            CrashSafe.WriteFile(run.File(to), temporary => File.Copy(from, temporary, overwrite: true));
            plots.Add(to);
        }
        Copy(Path.Combine(context.Folder(StudyRun.SearchStage), "front.png"), "front.png");
        if (WritePretrainingPlot(context, run.File(Path.Combine("figures", "pretraining.png")))) plots.Add(Path.Combine("figures", "pretraining.png"));
        Copy(Path.Combine(context.Folder(StudyRun.StudentStage), TrainingStages.DistillationPlot), "distillation.png");
        foreach (var task in Tasks(context))
            Copy(Path.Combine(context.Folder(StudyRun.ForTask(StudyRun.AgoraStage, task)), TrainingStages.ComparisonPlot), AgoraPlot(task));

        CrashSafe.WriteText(run.File(ReportFile), Markdown(context, configPath, configSha256));
        string manifest = run.File(ManifestFile);
        CrashSafe.WriteText(manifest, Manifest(context, configPath, configSha256, plots.Prepend(ReportFile).ToArray()));
        return manifest;
    }

    private static string Manifest(StudyContext context, string configPath, string configSha256, IReadOnlyList<string> files)
    {
        var manifest = new
        {
            study = Path.GetFileNameWithoutExtension(configPath),
            config = new { path = configPath, sha256 = configSha256 },
            code_version = typeof(StudyReport).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion,
            runtime = new { dotnet = RuntimeInformation.FrameworkDescription, os = RuntimeInformation.OSDescription, cores = Environment.ProcessorCount },
            packages = Packages(),
            seeds = new
            {
                study = context.Config.Seed,
                agora_cells = context.Config.Finetune is { } f ? Enumerable.Range(0, f.Seeds).ToArray() : [],
                // Tasks re-split with dev and test sizes are shuffled by the study's seed.
            },
            data = DataChecksums(context),
            stages = context.Stages.Keys.ToArray(),
            figures = context.Figures,
            measurements = context.Measurements,
            files = files.ToDictionary(f => f, f => Sha256(context.Run.File(f))),
        };
        return JsonSerializer.Serialize(manifest, new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }

    /// <summary>The versions of the packages whose code computed the figures.</summary>
    private static SortedDictionary<string, string?> Packages()
    {
        string[] names = ["TorchSharp", "MathNet.Numerics", "Microsoft.Data.Sqlite", "Microsoft.ML.Tokenizers", "ScottPlot", "CsvHelper"];
        return new SortedDictionary<string, string?>(AppDomain.CurrentDomain.GetAssemblies()
            .Where(a => names.Contains(a.GetName().Name))
            .DistinctBy(a => a.GetName().Name)
            .ToDictionary(a => a.GetName().Name!, a => a.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
                ?? a.GetName().Version?.ToString()), StringComparer.Ordinal);
    }

    /// <summary>Checksums of the data the study read: the vocabulary and corpus when it trained, the task's files when it fine-tuned.</summary>
    private static SortedDictionary<string, string> DataChecksums(StudyContext context)
    {
        var sums = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var config = context.Config;
        bool trained = config.Teacher is not null || config.Head is not null || config.Pretrain is not null
            || config.Search is { Errors: null or Runs.SearchRun.TrainedErrorToken or Runs.SearchRun.DistilledErrorToken };
        if (trained)
        {
            sums["vocab.txt"] = Sha256(context.Data.Vocabulary);
            sums["corpus/train.txt"] = Sha256(context.Data.CorpusTrain);
            sums["corpus/dev.txt"] = Sha256(context.Data.CorpusDev);
        }
        if (context.Weighted is { } source) sums[$"source/{Path.GetFileName(source.Location)}"] = Sha256(source.Location);
        foreach (var task in Tasks(context))
        {
            string folder = context.Data.TaskFolder(task.Name);
            foreach (string file in Directory.GetFiles(folder).Order(StringComparer.Ordinal))
                sums[$"task/{task.Key}/{Path.GetFileName(file)}"] = Sha256(file);
        }
        if (config.Search?.Errors is { } errors && File.Exists(errors)) sums["errors"] = Sha256(errors);
        return sums;
    }

    private static IReadOnlyList<StudyTask> Tasks(StudyContext context) => context.Config.Finetune?.Tasks ?? [];

    private static string AgoraPlot(StudyTask task) => $"agora-{task.Key}.png";

    private static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    /// <summary>The training loss curves of the teacher and the student, where the study pretrained them.</summary>
    private static bool WritePretrainingPlot(StudyContext context, string path)
    {
        var curves = new List<(string, IReadOnlyList<double>)>();
        foreach (string stage in new[] { StudyRun.TeacherStage, StudyRun.StudentStage })
        {
            string curve = Path.Combine(context.Folder(stage), PretrainingRun.CurveFile);
            if (!context.Stages.ContainsKey(stage) || !File.Exists(curve)) continue;
            var losses = File.ReadLines(curve).Skip(1)
                .Select(line => double.Parse(line.Split(',')[1], NumberStyles.Float, CultureInfo.InvariantCulture)).ToArray();
            curves.Add(($"{stage} ⟨{context.Stages[stage].Figures[$"{stage}.arch"]}⟩", losses));
        }
        if (curves.Count == 0) return false;
        TrainingPlots.WriteLossCurves(path, "Masked-LM pretraining", "training loss (nats)", curves);
        return true;
    }

    private static string Markdown(StudyContext context, string configPath, string configSha256)
    {
        var stages = context.Stages;
        var config = context.Config;
        var md = new StringBuilder();
        string F(string stage, string key) => stages[stage].Figures.TryGetValue(key, out var v) ? Show(v) : "–";
        md.Append(CultureInfo.InvariantCulture, $"# Study {Path.GetFileNameWithoutExtension(configPath)}\n\n");
        if (config.Description is { } description) md.Append(description).Append("\n\n");
        md.Append(CultureInfo.InvariantCulture, $"Re-run with `ose run {configPath}`; config sha256 `{configSha256[..12]}`, seed {config.Seed}. ");
        md.Append("Figures (losses, scores, counts, the choice) are reproduced exactly by the same config on the same machine, and ");
        md.Append("`ose run CONFIG --out OTHER --expect THIS/manifest.json` checks it; measurements (times, latencies) vary with the machine's load.\n\n");

        if (stages.ContainsKey(StudyRun.SearchStage))
        {
            md.Append("## Search\n\n");
            md.Append(CultureInfo.InvariantCulture,
                $"Source `{config.Source}` {context.Source.Architecture}, space of {F(StudyRun.SearchStage, "space.candidates")} candidates, ε = {config.Search!.Epsilon}, error `{config.Search.Errors ?? (context.Source.Weights is null ? Runs.SearchRun.TrainedErrorToken : Runs.SearchRun.DistilledErrorToken)}`, searcher {config.Search.Searcher}.\n\n");
            md.Append(CultureInfo.InvariantCulture,
                $"Chosen **⟨{F(StudyRun.SearchStage, "search.chosen")}⟩**: W = {F(StudyRun.SearchStage, "search.w")}, error {F(StudyRun.SearchStage, "search.error")}; ");
            md.Append(CultureInfo.InvariantCulture,
                $"{F(StudyRun.SearchStage, "search.evaluated")} candidates evaluated (answer certified after {F(StudyRun.SearchStage, "search.certified_after")}), ε-front of {F(StudyRun.SearchStage, "search.front")} points, {F(StudyRun.SearchStage, "search.monotonicity_violations")} monotonicity violations seen.\n\n");
            md.Append("![ε-Pareto front](figures/front.png)\n\n");
        }

        md.Append("## Architectures\n\n");
        var arch = stages[StudyRun.ArchitecturesStage].Figures;
        var sources = StudyModels.Sources(context);
        var students = StudyModels.Students(context);
        md.Append("| model | ⟨D,A,H,I⟩ | V | parameters (net) | encoder blocks (effective) |\n|---|---|---:|---:|---:|\n");
        foreach (var m in sources.Concat(students))
            md.Append(CultureInfo.InvariantCulture,
                $"| {m.Name} | {arch[$"params.{m.Name}.arch"]} | {Show(arch[$"params.{m.Name}.vocabulary"])} | {Show(arch[$"params.{m.Name}.net"])} | {Show(arch[$"params.{m.Name}.effective"])} |\n");
        md.Append(CultureInfo.InvariantCulture, $"\n| student vs source | net share | effective share | operation-count speed-up (L = {arch["ops.sequence_length"]}) |\n|---|---:|---:|---:|\n");
        foreach (var s in sources)
            foreach (var t in students)
            {
                string pair = $"{s.Name}/{t.Name}";
                md.Append(CultureInfo.InvariantCulture,
                    $"| {t.Name} vs {s.Name} | {Percent(arch[$"share.{pair}.net"])} | {Percent(arch[$"share.{pair}.effective"])} | {Show(arch[$"ops.{pair}.speedup"])}× |\n");
            }
        md.Append('\n');

        bool distilledFromSource = stages.TryGetValue(StudyRun.StudentStage, out var studentStage) && studentStage.Figures.ContainsKey("student.distil_error_after");
        if (stages.ContainsKey(StudyRun.TeacherStage) || (stages.ContainsKey(StudyRun.StudentStage) && !distilledFromSource))
        {
            md.Append("## Pretraining\n\n| model | ⟨D,A,H,I⟩ | distilled | steps | held-out masked-LM loss before → after |\n|---|---|---|---:|---|\n");
            foreach (var (stage, section) in new[] { (StudyRun.TeacherStage, config.Teacher), (StudyRun.StudentStage, config.Pretrain) })
                if (stages.ContainsKey(stage) && !(stage == StudyRun.StudentStage && distilledFromSource))
                    md.Append(CultureInfo.InvariantCulture,
                        $"| {stage} | {F(stage, $"{stage}.arch")} | {F(stage, $"{stage}.distilled")} | {section!.Steps} | {F(stage, $"{stage}.dev_loss_before")} → {F(stage, $"{stage}.dev_loss_after")} |\n");
            md.Append("\n![pretraining curves](figures/pretraining.png)\n\n");
        }
        if (distilledFromSource)
        {
            md.Append("## The student, cut out of the source and distilled from it\n\n");
            md.Append(CultureInfo.InvariantCulture,
                $"⟨{F(StudyRun.StudentStage, "student.arch")}⟩ extracted from `{F(StudyRun.StudentStage, "student.distilled")}` by importance and distilled for {config.Pretrain!.Steps} steps of {config.Pretrain.Batch} × {config.Pretrain.Seq} tokens: held-out distillation error (1 − R² of the source's last hidden state, plus KL of the masked-LM logits when the source has a head) {F(StudyRun.StudentStage, "student.distil_error_before")} → {F(StudyRun.StudentStage, "student.distil_error_after")}.\n\n");
            md.Append("![distillation curve](figures/distillation.png)\n\n");
        }
        if (stages.ContainsKey(StudyRun.HeadStage))
            md.Append(CultureInfo.InvariantCulture,
                $"Agora's sampler: a masked-LM head trained {config.Head!.Steps} steps over the frozen source, held-out masked-LM loss {F(StudyRun.HeadStage, "head.dev_loss_before")} → {F(StudyRun.HeadStage, "head.dev_loss_after")} nats.\n\n");

        foreach (var task in Tasks(context))
        {
            var f = config.Finetune!;
            string labeller = StudyRun.ForTask(StudyRun.LabellerStage, task), agora = StudyRun.ForTask(StudyRun.AgoraStage, task);
            md.Append(CultureInfo.InvariantCulture, $"## {task.Key}: fine-tuning with and without Agora\n\n");
            if (stages.TryGetValue(StudyRun.TasksStage, out var resplit) && resplit.Figures.ContainsKey($"tasks.{task.Key}.train"))
                md.Append(CultureInfo.InvariantCulture,
                    $"Re-split: {F(StudyRun.TasksStage, $"tasks.{task.Key}.train")} train, {F(StudyRun.TasksStage, $"tasks.{task.Key}.dev")} dev, {F(StudyRun.TasksStage, $"tasks.{task.Key}.test")} test. ");
            string teacher = config.Teacher is not null ? "the teacher" : "the source";
            md.Append(CultureInfo.InvariantCulture,
                $"Labeller ({teacher} fine-tuned on the whole training split): dev {F(labeller, $"{labeller}.metric")} {F(labeller, $"{labeller}.dev")}, test {F(labeller, $"{labeller}.test")}. ");
            md.Append(CultureInfo.InvariantCulture, $"Agora: {f.Agora.Rounds} rounds, k = {f.Agora.K}, fraction {f.Agora.Fraction}; plain fine-tuning gets the same optimizer steps.\n\n");
            md.Append(File.ReadAllText(Path.Combine(context.Folder(agora), "comparison.md"))).Append('\n');
            md.Append(CultureInfo.InvariantCulture, $"![Agora comparison on {task.Key}](figures/{AgoraPlot(task)})\n\n");
        }

        if (Tasks(context).Count > 1) AppendPooledAgora(md, context);
        if (config.Finetune is { Student: not null })
            AppendBortTable(md, context, arch);

        if (stages.TryGetValue(StudyRun.LatencyStage, out var latency))
        {
            var l = config.Latency!;
            md.Append(CultureInfo.InvariantCulture,
                $"## CPU latency\n\nMedian forward pass, random weights, sequence length {l.SequenceLength}, {l.Threads} threads, {l.Repeats} repeats, in our engine (TorchSharp) and in ONNX Runtime (measurements: they vary between runs).\n\n");
            md.Append("| student vs source | batch | engine | source ms | student ms | measured speed-up | operation-count speed-up | measured / ops |\n|---|---:|---|---:|---:|---:|---:|---:|\n");
            var m = latency.Measurements;
            foreach (int b in l.Batches)
                foreach (var s in sources)
                    foreach (var t in students)
                        foreach (var (engine, name) in new[] { (LatencyStage.Engine.Ours, "ours"), (LatencyStage.Engine.OnnxRuntime, "ONNX Runtime") })
                        {
                            string pair = $"{s.Name}/{t.Name}", e = LatencyStage.Key(engine);
                            md.Append(CultureInfo.InvariantCulture,
                                $"| {t.Name} vs {s.Name} | {b} | {name} | {Measured(m, $"latency.{s.Name}.b{b}.{e}ms", 1)} | {Measured(m, $"latency.{t.Name}.b{b}.{e}ms", 1)} | {Measured(m, $"latency.{pair}.b{b}.{e}speedup", 2)}× | {Show(arch[$"ops.{pair}.speedup"], 2)}× | {Measured(m, $"latency.{pair}.b{b}.{e}of_ops", 2)} |\n");
                        }
            md.Append('\n');
        }

        if (config.Paper is { Count: > 0 } claims)
        {
            var figures = context.Figures;
            var measurements = context.Measurements;
            md.Append("## Against the paper\n\n| claim | paper | ours |\n|---|---:|---|\n");
            foreach (var claim in claims)
            {
                string ours = string.Join("; ", claim.Figures.Select(key =>
                    figures.TryGetValue(key, out var v) || measurements.TryGetValue(key, out v) ? $"{Show(v)} (`{key}`)" : $"– (`{key}` not computed)"));
                md.Append(CultureInfo.InvariantCulture, $"| {claim.Claim} | {claim.Value:G4} | {ours} |\n");
            }
            md.Append('\n');
        }

        md.Append("## Time\n\n| stage | seconds |\n|---|---:|\n");
        foreach (var (name, record) in stages)
            if (record.Measurements.TryGetValue($"time.{name}.seconds", out var seconds)) md.Append(CultureInfo.InvariantCulture, $"| {name} | {Show(seconds, 0)} |\n");
        return md.ToString();
    }

    /// <summary>
    /// Agora against plain fine-tuning and against the random-seed ablation, pooled over every task, size and seed: the
    /// paired differences of the per-cell figures with their 95% interval (as `ose agora pool`).
    /// </summary>
    private static void AppendPooledAgora(StringBuilder md, StudyContext context)
    {
        var cells = Tasks(context)
            .Select(task => context.Stages[StudyRun.ForTask(StudyRun.AgoraStage, task)].Figures)
            .SelectMany(figures => figures.Keys.Where(k => k.EndsWith(".plain_test", StringComparison.Ordinal))
                .Select(k => k[..^".plain_test".Length])
                .Select(cell => (Plain: StageRecord.Read(figures, $"{cell}.plain_test"), Agora: StageRecord.Read(figures, $"{cell}.agora_test"),
                    Random: StageRecord.Read(figures, $"{cell}.random_seeds_test"))))
            .ToArray();
        var plain = PairedDifference.OfAtLeastTwo(cells.Select(c => c.Agora - c.Plain).ToArray());
        var random = PairedDifference.OfAtLeastTwo(cells.Select(c => c.Agora - c.Random).ToArray());
        md.Append("## Agora pooled over the tasks\n\n");
        md.Append(CultureInfo.InvariantCulture,
            $"Test score ×100, mean paired difference [95% interval] over {cells.Length} (task, size, seed) pairs: Agora − plain {plain?.ToString() ?? "–"}, Agora − random seeds {random?.ToString() ?? "–"}.\n\n");
    }

    /// <summary>
    /// The Bort table: per task, the source's score (its labeller), the student's (fine-tuned on the same training split),
    /// the share retained, the student's size and its speed-up over the source, measured and by operation count.
    /// </summary>
    private static void AppendBortTable(StringBuilder md, StudyContext context, IReadOnlyDictionary<string, string> arch)
    {
        var stages = context.Stages;
        var config = context.Config;
        string source = StudyModels.Sources(context)[0].Name;
        string student = config.Pretrain!.Arch ?? StudyModels.ChosenName;
        string pair = $"{source}/{student}";
        bool tabulated = arch.ContainsKey($"share.{pair}.net");
        var batches = stages.TryGetValue(StudyRun.LatencyStage, out var latency) ? config.Latency!.Batches : [];
        md.Append(CultureInfo.InvariantCulture, $"## The Bort table: the student ⟨{stages[StudyRun.StudentStage].Figures["student.arch"]}⟩ against {source}\n\n");
        md.Append("Both fine-tuned on each task's whole training split and scored on its test split (the source is the labeller above). ");
        if (tabulated)
            md.Append(CultureInfo.InvariantCulture,
                $"The student has {Show(arch[$"params.{student}.net"])} parameters, {Percent(arch[$"share.{pair}.net"])} of the source's ({Percent(arch[$"share.{pair}.effective"])} of its encoder blocks); {Show(arch[$"ops.{pair}.speedup"], 2)}× fewer operations. ");
        md.Append("Speed-ups are measured by the latency stage (random weights), in our engine and in ONNX Runtime.\n\n");
        md.Append("| task | metric | source | student | retained |");
        foreach (int b in batches) md.Append(CultureInfo.InvariantCulture, $" measured speed-up, batch {b}: ours, ONNX Runtime |");
        md.Append("\n|---|---|---:|---:|---:|").Append(string.Concat(batches.Select(_ => "---:|"))).Append('\n');
        foreach (var task in Tasks(context))
        {
            string labeller = StudyRun.ForTask(StudyRun.LabellerStage, task), finetune = StudyRun.ForTask(StudyRun.FinetuneStage, task);
            string Figure(string stage, string key) => stages.TryGetValue(stage, out var r) && r.Figures.TryGetValue(key, out var v) ? Show(v) : "–";
            string retained = stages[finetune].Figures.TryGetValue($"{finetune}.retained", out var share) ? Percent(share) : "–";
            md.Append(CultureInfo.InvariantCulture,
                $"| {task.Key} | {Figure(labeller, $"{labeller}.metric")} | {Figure(labeller, $"{labeller}.test")} | {Figure(finetune, $"{finetune}.test")} | {retained} |");
            foreach (int b in batches)
                md.Append(CultureInfo.InvariantCulture,
                    $" {Measured(latency!.Measurements, $"latency.{pair}.b{b}.speedup", 2)}×, {Measured(latency.Measurements, $"latency.{pair}.b{b}.ort_speedup", 2)}× |");
            md.Append('\n');
        }
        md.Append('\n');
    }

    /// <summary>A measurement to a number of decimals, or a dash where a run from before it was measured has none.</summary>
    private static string Measured(IReadOnlyDictionary<string, string> measurements, string key, int decimals) =>
        measurements.TryGetValue(key, out var value) ? Show(value, decimals) : "–";

    /// <summary>A figure for people: integers with thousands separators, other numbers to 4 significant digits, text as is.</summary>
    private static string Show(string value, int? decimals = null)
    {
        if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double x)) return value;
        if (decimals is { } d) return x.ToString("F" + d, CultureInfo.InvariantCulture);
        if (x == Math.Floor(x) && Math.Abs(x) < 1e15) return x.ToString("N0", CultureInfo.InvariantCulture);
        return x.ToString("G4", CultureInfo.InvariantCulture);
    }

    private static string Percent(string share) =>
        (double.Parse(share, NumberStyles.Float, CultureInfo.InvariantCulture) * 100).ToString("F1", CultureInfo.InvariantCulture) + "%";
}
