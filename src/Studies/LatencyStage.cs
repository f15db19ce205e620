using Ose.Models;
using Ose.Models.Latency;
using static TorchSharp.torch;

namespace Ose.Studies;

/// <summary>
/// Measured CPU forward latency (median after warm-up, random weights, inference mode) of every source and student at
/// each batch size, and each student's measured speed-up over each source next to its operation-count speed-up.
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
                var seconds = new Dictionary<string, double>();
                foreach (var model in sources.Concat(students))
                {
                    context.Cancellation.ThrowIfCancellationRequested();
                    seconds[model.Name] = ForwardLatency.MedianSeconds(EncoderConfig.From(model.Architecture, model.Shape, dropout: 0),
                        batch, section.SequenceLength, CPU, repeats: section.Repeats, seed: context.Config.Seed);
                    record.Measurement($"latency.{model.Name}.b{batch}.ms", seconds[model.Name] * 1000);
                    context.Say($"latency: {model.Name} at batch {batch}: {seconds[model.Name] * 1000:F1} ms");
                }
                foreach (var source in sources)
                    foreach (var student in students)
                    {
                        string pair = $"{source.Name}/{student.Name}";
                        double measured = seconds[source.Name] / seconds[student.Name];
                        record.Measurement($"latency.{pair}.b{batch}.speedup", measured);
                        record.Measurement($"latency.{pair}.b{batch}.of_ops", measured / StageRecord.Read(architectures.Figures, $"ops.{pair}.speedup"));
                    }
            }
        }
        finally
        {
            set_num_threads(threads);
        }
        return record;
    }
}
