using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Ose.Models.Text;
using Ose.Models;
using Ose.Training;
using static TorchSharp.torch;

namespace Ose.Benchmarks;

/// <summary>
/// How fast do students train and run on this CPU? Four masked-LM training steps (batch 8 × 128 tokens, logits at the
/// masked positions only, AdamW, a fresh optimizer each time) and one forward pass (batch 1 × 128), for a few
/// architectures with the bert-base-uncased vocabulary. Tokens per second of training = 4 · 1024 / (mean of Train).
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 2, iterationCount: 8)]
public class StudentThroughputBenchmarks
{
    private const int Vocabulary = 30522, Batch = 8, Length = 128;
    private static readonly SpecialTokens Tokens = new(0, 101, 102, 103, Vocabulary);

    private BertForMaskedLM model = null!;
    private IReadOnlyList<long[]> corpus = [];
    private Tensor ids = null!, types = null!, attention = null!;

    [Params("2,2,128,512", "4,4,256,1024", "4,8,512,2048")]
    public string Architecture { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        OpenMpWaiting.PreferPassive(); // as the ose command does, before libtorch loads
        Console.WriteLine($"// MKL kernels chosen by CPU features: {MklKernels.PreferAvx512()}");
        var d = Architecture.Split(',').Select(int.Parse).ToArray();
        manual_seed(0);
        model = new BertForMaskedLM(new EncoderConfig(d[0], d[1], d[2], d[3], Vocabulary, 512, 2, Pooler: false));
        var random = new Random(0);
        corpus = Enumerable.Range(0, 64).Select(_ => Enumerable.Range(0, Length)
            .Select(p => p == 0 ? 101L : p == Length - 1 ? 102L : random.Next(1000, Vocabulary)).ToArray()).ToArray();
        ids = tensor(corpus[0], [1, Length]);
        types = zeros_like(ids);
        attention = ones_like(ids);
    }

    [Benchmark(Description = "train 4 steps, 8 × 128 tokens each")]
    public double Train() => new Pretrainer(model, Tokens, new HyperParameters(1e-4, 4, Batch, Length), 0, CPU).Train(corpus, null)[^1];

    [Benchmark(Description = "forward, 1 × 128 tokens")]
    public float Forward()
    {
        using var scope = NewDisposeScope();
        using var _ = inference_mode();
        model.eval();
        return model.Bert.call(ids, types, attention)[0, 0, 0].item<float>();
    }
}
