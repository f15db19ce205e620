using Ose.Tasks;

namespace Ose.Agora.Text;

/// <summary>
/// A text task as Agora's loop and <see cref="AgoraComparison{TLabel}"/> see it: its name and metric (for reports), its
/// splits as labelled points, and what a label is (<see cref="ILabels{TLabel}"/>).
/// </summary>
public sealed record AgoraTask<TLabel>(string Name, string Metric, LabelledPoint<TextInput, TLabel>[] Train,
    LabelledPoint<TextInput, TLabel>[] Dev, LabelledPoint<TextInput, TLabel>[] Test, ILabels<TLabel> Labels);

public static class AgoraTask
{
    /// <summary>A classification task, scored by its own metric.</summary>
    public static AgoraTask<int> Of(TextTask task) => new(task.Name, task.Metric.ToString().ToLowerInvariant(),
        TextPoints.From(task.Train), TextPoints.From(task.Dev), TextPoints.From(task.Test), new ClassLabels());

    /// <summary>A slot task, scored by span F1.</summary>
    public static AgoraTask<SlotAnnotation> Of(SlotTask task) => new(task.Name, "span F1", SlotPoints.From(task.Train, task.SlotNumbers),
        SlotPoints.From(task.Dev, task.SlotNumbers), SlotPoints.From(task.Test, task.SlotNumbers), new SlotLabels(task.SlotNumbers));
}
