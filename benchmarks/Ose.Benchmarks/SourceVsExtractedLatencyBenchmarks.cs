using System.Globalization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using Microsoft.ML.OnnxRuntime;
using Ose.Costs;
using Ose.Models;
using Ose.Models.Latency;
using Ose.Models.Onnx;
using static TorchSharp.torch;

namespace Ose.Benchmarks;

/// <summary>
/// Is an extracted model as much faster on a CPU as its operation count says, in our engine and in the one users
/// deploy on? One forward pass (random weights, sequence length 128, 2 threads, batch 1 and 8) of each source
/// (bert-large, bert-base, bert-mini, the MiniLM shape) and student (the two readings of Bort, the mini study's chosen
/// student, the students distilled from minilm in docs/agora.md), in two engines: ours (TorchSharp, inference mode)
/// and ONNX Runtime 1.31.1 on the same weights exported by <see cref="OnnxExport"/>, both with waiting threads that
/// sleep rather than spin. Both engines of one model and batch run one after the other.
/// "÷ SOURCE" columns: measured speed-up over that source / operation-count speed-up (target ≥ 0.9, DESIGN §2.2);
/// "ours/ORT": our median over ONNX Runtime's for the same model and batch.
/// </summary>
[Config(typeof(EngineComparisonConfig))]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 3, iterationCount: 15)]
public class SourceVsExtractedLatencyBenchmarks
{
    public const int SequenceLength = 128, Threads = 2;
    public const string Ours = "TorchSharp", OnnxRuntime = "OnnxRuntime";

    /// <summary>The sources, in the order of the "÷ SOURCE" columns.</summary>
    public static readonly string[] Sources = ["bert-large", "bert-base", "bert-mini", "minilm"];

    /// <summary>
    /// Models that are not presets: the shape of all-MiniLM-L6-v2 (DESIGN §2.6; random weights here, the timing does not
    /// depend on them), the student `configs/mini-study.json` chose from bert-mini, trained without a pooler, and the
    /// students `ose pretrain --teacher minilm --init extract` distils at ⟨2,4,128,384⟩ and ⟨2,12,384,1536⟩ (docs/agora.md).
    /// </summary>
    private static readonly Dictionary<string, Source> Students = new()
    {
        ["minilm"] = new("minilm", new Architecture(6, 12, 384, 1536), new FixedShape(30522, 512, 2, true)),
        ["mini-study"] = new("mini-study", new Architecture(1, 4, 64, 256), new FixedShape(30522, 512, 2, false)),
        ["minilm-student"] = new("minilm-student", new Architecture(2, 4, 128, 384), new FixedShape(30522, 512, 2, true)),
        ["minilm-student-wide"] = new("minilm-student-wide", new Architecture(2, 12, 384, 1536), new FixedShape(30522, 512, 2, true)),
    };

    public static Source Resolve(string name) => Students.TryGetValue(name, out var student) ? student : Ose.Source.Resolve(name);

    [Params("bert-large", "bert-base", "bort", "bort-paper", "minilm", "bert-mini", "mini-study", "minilm-student", "minilm-student-wide")]
    public string Model { get; set; } = "";

    [Params(1, 8)]
    public int Batch { get; set; }

    [Params(Ours, OnnxRuntime)]
    public string Engine { get; set; } = "";

    private BertModel? model;
    private Tensor ids = null!, types = null!, mask = null!;
    private InferenceSession? session;
    private OrtValue[] inputs = [];
    private RunOptions? run;
    private string onnxFile = "";

    [GlobalSetup]
    public void Setup()
    {
        OpenMpWaiting.PreferPassive(); // as the ose command does, before libtorch loads
        Console.WriteLine($"// MKL kernels chosen by CPU features: {MklKernels.PreferAvx512()}");
        set_num_threads(Threads);
        var source = Resolve(Model);
        manual_seed(0);
        model = new BertModel(EncoderConfig.From(source.Architecture, source.Shape, dropout: 0));
        model.eval();
        ids = randint(1, source.Shape.V, [Batch, SequenceLength], dtype: ScalarType.Int64);
        types = zeros_like(ids);
        mask = ones_like(ids);
        if (Engine == Ours) return;

        onnxFile = Path.Combine(Path.GetTempPath(), $"ose-latency-{Model}-{Guid.NewGuid():N}.onnx");
        OnnxExport.Write(model, onnxFile);
        session = OnnxLatency.OpenSession(onnxFile, Threads);
        inputs = OnnxLatency.Inputs(ids, mask, types);
        run = new RunOptions();
        Console.WriteLine($"// {Model}: max |TorchSharp − ONNX Runtime| over the tokens of a padded batch: {EngineDifference():G3}");
        model.Dispose();
        model = null;
    }

    /// <summary>
    /// The engines compared on the benchmark's ids with every row but the first cut short (padding from position
    /// 16 + 8·row): the largest difference of last_hidden_state at a token. The export's test checks 1e-4 on tiny models.
    /// </summary>
    private float EngineDifference()
    {
        using var scope = NewDisposeScope();
        var lengths = Enumerable.Range(0, Batch).Select(r => r == 0 ? SequenceLength : Math.Min(SequenceLength, 16 + 8 * r)).ToArray();
        var padded = stack(lengths.Select(l => arange(SequenceLength) < l).ToArray()).to_type(ScalarType.Int64);
        var paddedIds = ids * padded;
        float[] ours;
        using (inference_mode()) ours = model!.call(paddedIds, types, padded).contiguous().data<float>().ToArray();
        var values = OnnxLatency.Inputs(paddedIds, padded, types);
        using var outputs = session!.Run(run!, OnnxLatency.InputNames, values, [OnnxLatency.OutputName]);
        foreach (var value in values) value.Dispose();
        var theirs = outputs[0].GetTensorDataAsSpan<float>();
        long hidden = ours.Length / (Batch * SequenceLength);
        float max = 0;
        for (int r = 0; r < Batch; r++)
            for (long i = r * SequenceLength * hidden; i < (r * SequenceLength + lengths[r]) * hidden; i++)
                max = Math.Max(max, Math.Abs(ours[i] - theirs[(int)i]));
        return max;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        model?.Dispose();
        foreach (var value in inputs) value.Dispose();
        session?.Dispose();
        run?.Dispose();
        ids.Dispose();
        types.Dispose();
        mask.Dispose();
        if (onnxFile != "") File.Delete(onnxFile);
    }

    [Benchmark(Description = "forward")]
    public float Forward()
    {
        if (session is null)
        {
            using var scope = NewDisposeScope();
            using var _ = inference_mode();
            return model!.call(ids, types, mask)[0, 0, 0].item<float>();
        }
        using var outputs = session.Run(run!, OnnxLatency.InputNames, inputs, [OnnxLatency.OutputName]);
        return outputs[0].GetTensorDataAsSpan<float>()[0];
    }

    /// <summary>Analytic operations of a forward pass at the benchmark's sequence length (src/Ose, DESIGN §2.2).</summary>
    public static double Operations(string name)
    {
        var source = Resolve(name);
        return OperationCount.Of(source.Architecture, source.Shape, SequenceLength).Total;
    }
}

/// <summary>
/// The median (on a shared machine a few slow passes pull a small model's mean up more than a large one's), then
/// per row: measured / operation-count speed-up over each source, and ours / ONNX Runtime.
/// </summary>
public sealed class EngineComparisonConfig : ManualConfig
{
    public EngineComparisonConfig()
    {
        AddColumn(StatisticColumn.Median);
        foreach (string source in SourceVsExtractedLatencyBenchmarks.Sources) AddColumn(new SpeedUpColumn(source));
        AddColumn(new OursOverOnnxRuntimeColumn());
    }

    private static string Parameter(BenchmarkCase c, string name) => c.Parameters[name].ToString()!;

    /// <summary>The median of the case with the same parameters as <paramref name="like"/> but <paramref name="model"/> and <paramref name="engine"/>.</summary>
    private static double? Median(Summary summary, BenchmarkCase like, string model, string engine)
    {
        var report = summary.Reports.FirstOrDefault(r => Parameter(r.BenchmarkCase, "Model") == model
            && Parameter(r.BenchmarkCase, "Engine") == engine && Parameter(r.BenchmarkCase, "Batch") == Parameter(like, "Batch"));
        return report?.ResultStatistics?.Median;
    }

    private abstract class RatioColumn(string id, string name, string legend) : IColumn
    {
        public string Id => id;
        public string ColumnName => name;
        public string Legend => legend;
        public bool AlwaysShow => true;
        public ColumnCategory Category => ColumnCategory.Custom;
        public int PriorityInCategory => 0;
        public bool IsNumeric => true;
        public UnitType UnitType => UnitType.Dimensionless;
        public bool IsAvailable(Summary summary) => true;
        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => GetValue(summary, benchmarkCase);
        public string GetValue(Summary summary, BenchmarkCase benchmarkCase) =>
            Ratio(summary, benchmarkCase)?.ToString("F2", CultureInfo.InvariantCulture) ?? "-";
        protected abstract double? Ratio(Summary summary, BenchmarkCase benchmarkCase);
    }

    private sealed class SpeedUpColumn(string source) : RatioColumn($"SpeedUp.{source}", $"÷ {source}",
        $"(median of {source} / this median) / (operations of {source} / this model's), same engine and batch; - for a model not smaller than {source}")
    {
        protected override double? Ratio(Summary summary, BenchmarkCase benchmarkCase)
        {
            string model = Parameter(benchmarkCase, "Model");
            double operations = SourceVsExtractedLatencyBenchmarks.Operations(model), sourceOperations = SourceVsExtractedLatencyBenchmarks.Operations(source);
            if (operations >= sourceOperations) return null;
            double? mine = Median(summary, benchmarkCase, model, Parameter(benchmarkCase, "Engine"));
            double? theirs = Median(summary, benchmarkCase, source, Parameter(benchmarkCase, "Engine"));
            return mine is > 0 && theirs is > 0 ? theirs / mine / (sourceOperations / operations) : null;
        }
    }

    private sealed class OursOverOnnxRuntimeColumn() : RatioColumn("OursOverOnnxRuntime", "ours/ORT",
        "median in TorchSharp / median in ONNX Runtime, same model and batch")
    {
        protected override double? Ratio(Summary summary, BenchmarkCase benchmarkCase)
        {
            if (Parameter(benchmarkCase, "Engine") != SourceVsExtractedLatencyBenchmarks.Ours) return null;
            string model = Parameter(benchmarkCase, "Model");
            double? ours = Median(summary, benchmarkCase, model, SourceVsExtractedLatencyBenchmarks.Ours);
            double? theirs = Median(summary, benchmarkCase, model, SourceVsExtractedLatencyBenchmarks.OnnxRuntime);
            return ours is > 0 && theirs is > 0 ? ours / theirs : null;
        }
    }
}
