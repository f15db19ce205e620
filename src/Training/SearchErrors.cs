using Ose.Models.Sources;
using Ose.Runs;
using Ose.Tasks.Data;
using Ose.Training.Distil;

namespace Ose.Training;

/// <summary>
/// What `ose search`, `ose worker` and a study's search all need to evaluate the same error: sources read with their
/// weights, and the errors that train (distilled from a source with weights, else trained from scratch).
/// </summary>
public static class SearchErrors
{
    public static Func<string, Source> Sources(string? data) => name => WeightedSource.ResolveAny(name, DataDirectory.Resolve(data));

    public static TrainedErrorFactory Factory(string? data, string device) => context => context.Kind == SearchRun.DistilledErrorToken
        ? DistilledErrorSetup.Create(context, data, device)
        : TrainedErrorSetup.Create(context, data, device);

    /// <summary>Where, in the search's run folder, a trained error keeps its checkpoints; null for a table or a proxy.</summary>
    public static string? CheckpointFolder(SearchRequest search, string? data)
    {
        string kind = search.Errors ?? (Sources(data)(search.Source).Weights is null ? SearchRun.TrainedErrorToken : SearchRun.DistilledErrorToken);
        return kind switch
        {
            SearchRun.TrainedErrorToken => Path.Combine(search.OutputDirectory, TrainedErrorSetup.TrainingFolder),
            SearchRun.DistilledErrorToken => Path.Combine(search.OutputDirectory, DistilledErrorSetup.WorkFolder),
            _ => null,
        };
    }
}
