using Ose.Models;
using Ose.Models.Sources;
using Ose.Reporting;
using Ose.Tasks.Data;
using Ose.Training;
using static TorchSharp.torch;

namespace Ose.Studies;

/// <summary>What every stage of a study reads: the config, the run folder, the data, the device, and earlier stages' records.</summary>
internal sealed class StudyContext(StudyConfig config, RunDirectory run, string? dataPath, string deviceName,
    IProgress<string>? progress, CancellationToken cancellation)
{
    private readonly Dictionary<int, PretrainingCorpus> corpora = [];
    private DataDirectory? data;

    public StudyConfig Config { get; } = config;
    public RunDirectory Run { get; } = run;
    public string DeviceName { get; } = deviceName;
    public Device Device => Devices.Parse(DeviceName);
    public CancellationToken Cancellation { get; } = cancellation;
    public Dictionary<string, StageRecord> Stages { get; } = [];

    public DataDirectory Data => data ??= DataDirectory.Resolve(dataPath);

    /// <summary>The source as the search sees it (a source with weights is read to learn its architecture).</summary>
    public Source Source => source ??= WeightedSource.ResolveAny(Config.Source, Data);
    private Source? source;

    /// <summary>The source's weights; null for a config-only source.</summary>
    public WeightedSource? Weighted => WeightedSource.TryResolve(Config.Source, Data);

    /// <summary>Where a task's files are: its re-split in the run folder, or the task as named.</summary>
    public string TaskFolder(StudyTask task) =>
        task.Dev is null ? Data.TaskFolder(task.Name) : Run.File(Path.Combine(StudyRun.TasksStage, task.Key));

    /// <summary>Every stage's figures in one table (a figure two stages record, such as the corpus identity, is the same in both).</summary>
    public SortedDictionary<string, string> Figures => Merge(s => s.Figures);

    public SortedDictionary<string, string> Measurements => Merge(s => s.Measurements);

    private SortedDictionary<string, string> Merge(Func<StageRecord, IEnumerable<KeyValuePair<string, string>>> part) =>
        new(Stages.Values.SelectMany(part).DistinctBy(f => f.Key).ToDictionary(), StringComparer.Ordinal);

    /// <summary>The folder a stage works in.</summary>
    public string Folder(string stage) => Run.File(stage);

    /// <summary>The search's choice, once the search stage has run.</summary>
    public Architecture? Chosen =>
        Stages.TryGetValue(StudyRun.SearchStage, out var search) ? Architecture.Parse(search.Figures["search.chosen"], "search.chosen") : null;

    public PretrainingCorpus Corpus(int sequenceLength)
    {
        if (!corpora.TryGetValue(sequenceLength, out var corpus))
            corpora[sequenceLength] = corpus = PretrainingCorpus.Load(Data, sequenceLength);
        return corpus;
    }

    public void Say(string line) => progress?.Report(line);

    /// <summary>Passes a report on as a line at most every few seconds: enough to see a long stage move.</summary>
    public IProgress<T> Throttled<T>(Func<T, string> line) => new ThrottledLines<T>(this, line);

    private sealed class ThrottledLines<T>(StudyContext context, Func<T, string> line) : IProgress<T>
    {
        private static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);
        private readonly System.Diagnostics.Stopwatch clock = System.Diagnostics.Stopwatch.StartNew();
        private TimeSpan? last;

        public void Report(T value)
        {
            if (last is { } previous && clock.Elapsed - previous < Interval) return;
            last = clock.Elapsed;
            context.Say(line(value));
        }
    }
}
