namespace Ose.Store;

/// <summary>One completed error evaluation, kept so a search never pays for it twice.</summary>
public sealed record Trial(string ErrorIdentity, Architecture Architecture, double Error, double Seconds, DateTimeOffset CompletedAt);

/// <summary>
/// Where completed evaluations live (Optuna's storage, DESIGN §4): each is written as it completes, so a killed
/// search resumes by reading them back.
/// </summary>
public interface ITrialStore : IDisposable
{
    /// <summary>Every stored trial measured with the given error identity.</summary>
    IReadOnlyList<Trial> Load(string errorIdentity);

    void Record(Trial trial);
}
