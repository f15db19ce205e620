using Ose.Tasks.Data;

namespace Ose.Testing;

/// <summary>
/// A test on the real data of `ose data prepare`. Where it has not been prepared the test is skipped, saying why, on a
/// developer's machine, and runs (and fails) under CI, where `.ci/run` prepares the data and a missing piece is a fault.
/// </summary>
public sealed class PreparedDataFactAttribute : FactAttribute
{
    public PreparedDataFactAttribute()
    {
        if (!DataPreparation.IsPrepared(DataDirectory.Resolve(null)) && Environment.GetEnvironmentVariable("CI") != "true")
            Skip = $"no prepared data in {DataDirectory.Resolve(null).Root}: run `ose data prepare` (or set OSE_DATA)";
    }
}
