namespace Ose.Store;

/// <summary>The completed trials of one study in a <see cref="TrialQueue"/>, read as a search reads any store.</summary>
public sealed class StudyTrialStore(TrialQueue queue, long study) : ITrialStore
{
    public IReadOnlyList<Trial> Load(string errorIdentity) =>
        queue.Trials(study)
            .Where(t => t.State == TrialState.Complete && t.Spec.Identity == errorIdentity)
            .Select(t => new Trial(errorIdentity, t.Spec.Architecture, t.Error!.Value, t.Seconds ?? 0, DateTimeOffset.UtcNow))
            .ToArray();

    public void Record(Trial trial) => queue.Record(study, new TrialSpec(trial.ErrorIdentity, trial.Architecture), trial.Error, trial.Seconds);

    /// <summary>The queue is the caller's to close.</summary>
    public void Dispose() { }
}
