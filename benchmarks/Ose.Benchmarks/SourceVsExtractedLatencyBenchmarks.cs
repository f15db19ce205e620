using System.Globalization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using Ose.Costs;
using Ose.Models;
using static TorchSharp.torch;

namespace Ose.Benchmarks;

/// <summary>
/// Is the extracted model as much faster on a CPU as its operation count says? One forward pass (inference mode,
/// random weights, 2 libtorch threads) of a source (bert-large, bert-base) against the two Bort students (`bort` as
/// released, ⟨4, 8, 1024, 768⟩ with RoBERTa's vocabulary; `bort-paper`, ⟨4, 8, 768, 1024⟩), at batch 1 and 8 and
/// sequence length 128. BenchmarkDotNet's Ratio is the measured time over the source's; "ops ratio" is the same ratio
/// of analytic operation counts (src/Ose, DESIGN §2.2). Target: measured speed-up (1/Ratio) ≥ 0.9 × 1/(ops ratio).
/// </summary>
[MemoryDiagnoser]
[Config(typeof(OperationRatioConfig))]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 3, iterationCount: 15)]
public class SourceVsExtractedLatencyBenchmarks
{
    public const int SequenceLength = 128, Threads = 2;

    private readonly Dictionary<string, (BertModel Model, Tensor Ids, Tensor Types, Tensor Mask)> models = [];

    [Params("bert-large", "bert-base")]
    public string Source { get; set; } = "";

    [Params(1, 8)]
    public int Batch { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        set_num_threads(Threads);
        foreach (string name in new[] { Source, "bort", "bort-paper" })
        {
            var source = Ose.Source.Resolve(name);
            manual_seed(0);
            var model = new BertModel(EncoderConfig.From(source.Architecture, source.Shape, dropout: 0));
            model.eval();
            var ids = randint(0, source.Shape.V, [Batch, SequenceLength], dtype: ScalarType.Int64);
            models[name] = (model, ids, zeros_like(ids), ones_like(ids));
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (var (model, ids, types, mask) in models.Values)
        {
            model.Dispose();
            ids.Dispose();
            types.Dispose();
            mask.Dispose();
        }
        models.Clear();
    }

    private float Forward(string name)
    {
        var (model, ids, types, mask) = models[name];
        using var scope = NewDisposeScope();
        using var _ = inference_mode();
        return model.call(ids, types, mask)[0, 0, 0].item<float>();
    }

    [Benchmark(Baseline = true, Description = "source")]
    public float SourceForward() => Forward(Source);

    [Benchmark(Description = "bort ⟨4,8,1024,768⟩")]
    public float Bort() => Forward("bort");

    [Benchmark(Description = "bort-paper ⟨4,8,768,1024⟩")]
    public float BortPaper() => Forward("bort-paper");

    /// <summary>The operations of the benchmarked model over those of its source, at the benchmark's sequence length.</summary>
    public static double OperationRatio(string model, string source) => Operations(model) / Operations(source);

    private static double Operations(string name)
    {
        var source = Ose.Source.Resolve(name);
        return OperationCount.Of(source.Architecture, source.Shape, SequenceLength).Total;
    }
}

/// <summary>
/// Adds the "ops ratio" column next to BenchmarkDotNet's measured Ratio, and always the median: on a shared machine a
/// few slow passes pull a small model's mean up by a larger share than a large model's.
/// </summary>
public sealed class OperationRatioConfig : ManualConfig
{
    public OperationRatioConfig() => AddColumn(StatisticColumn.Median, new OperationRatioColumn());

    private sealed class OperationRatioColumn : IColumn
    {
        public string Id => nameof(OperationRatioColumn);
        public string ColumnName => "ops ratio";
        public bool AlwaysShow => true;
        public ColumnCategory Category => ColumnCategory.Custom;
        public int PriorityInCategory => 0;
        public bool IsNumeric => true;
        public UnitType UnitType => UnitType.Dimensionless;
        public string Legend => "analytic operations of this model / those of its source, at L = 128";
        public bool IsAvailable(Summary summary) => true;
        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => GetValue(summary, benchmarkCase);

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase)
        {
            string source = (string)benchmarkCase.Parameters["Source"];
            string model = benchmarkCase.Descriptor.WorkloadMethod.Name switch
            {
                nameof(SourceVsExtractedLatencyBenchmarks.Bort) => "bort",
                nameof(SourceVsExtractedLatencyBenchmarks.BortPaper) => "bort-paper",
                _ => source,
            };
            return SourceVsExtractedLatencyBenchmarks.OperationRatio(model, source).ToString("F3", CultureInfo.InvariantCulture);
        }
    }
}
