namespace Ose.Store;

/// <summary>A store that lives as long as the process: for searches that need no resume, and for tests.</summary>
public sealed class InMemoryTrialStore : ITrialStore
{
    private readonly List<Trial> trials = [];

    public IReadOnlyList<Trial> Load(string errorIdentity) => trials.Where(t => t.ErrorIdentity == errorIdentity).ToArray();

    public void Record(Trial trial) => trials.Add(trial);

    public void Dispose() { }
}
