using System.Globalization;
using Ose.Models;
using Ose.Models.Latency;
using static TorchSharp.torch;

namespace Ose.Studies;

/// <summary>
/// Measured CPU forward latency (median after warm-up, random weights) of every source and student at each batch size,
/// in our engine (TorchSharp, inference mode) and in ONNX Runtime (the engine students are deployed on, issue 16), and
/// each student's measured speed-up over each source in both, next to its operation-count speed-up.
/// </summary>
internal static class LatencyStage
{
    public static StageRecord Run(StudyContext context)
    {
        var section = context.Config.Latency!;
        var record = new StageRecord();
        var sources = StudyModels.Sources(context);
        var students = StudyModels.Students(context);
        var architectures = context.Stages[StudyRun.ArchitecturesStage];
        int threads = get_num_threads();
        set_num_threads(section.Threads);
        try
        {
            foreach (int batch in section.Batches)
            {
                var seconds = new Dictionary<(string Model, Engine Engine), double>();
                foreach (var model in sources.Concat(students))
                {
                    context.Cancellation.ThrowIfCancellationRequested();
                    var config = EncoderConfig.From(model.Architecture, model.Shape, dropout: 0);
                    seconds[(model.Name, Engine.Ours)] = ForwardLatency.MedianSeconds(config, batch, section.SequenceLength, CPU,
                        repeats: section.Repeats, seed: context.Config.Seed);
                    seconds[(model.Name, Engine.OnnxRuntime)] = OnnxLatency.MedianSeconds(config, batch, section.SequenceLength,
                        repeats: section.Repeats, seed: context.Config.Seed);
                    foreach (var engine in Engines)
                        record.Measurement($"latency.{model.Name}.b{batch}.{Key(engine)}ms", seconds[(model.Name, engine)] * 1000);
                    context.Say(string.Create(CultureInfo.InvariantCulture,
                        $"latency: {model.Name} at batch {batch}: {seconds[(model.Name, Engine.Ours)] * 1000:F1} ms ours, {seconds[(model.Name, Engine.OnnxRuntime)] * 1000:F1} ms ONNX Runtime"));
                }
                foreach (var source in sources)
                    foreach (var student in students)
                        foreach (var engine in Engines)
                        {
                            string pair = $"{source.Name}/{student.Name}";
                            double measured = seconds[(source.Name, engine)] / seconds[(student.Name, engine)];
                            record.Measurement($"latency.{pair}.b{batch}.{Key(engine)}speedup", measured);
                            record.Measurement($"latency.{pair}.b{batch}.{Key(engine)}of_ops", measured / StageRecord.Read(architectures.Figures, $"ops.{pair}.speedup"));
                        }
            }
        }
        finally
        {
            set_num_threads(threads);
        }
        return record;
    }

    public enum Engine { Ours, OnnxRuntime }

    private static readonly Engine[] Engines = [Engine.Ours, Engine.OnnxRuntime];

    /// <summary>How a measurement names its engine: ours unmarked (as before ONNX Runtime was measured), <c>ort_</c> for ONNX Runtime.</summary>
    public static string Key(Engine engine) => engine == Engine.Ours ? "" : "ort_";
}
