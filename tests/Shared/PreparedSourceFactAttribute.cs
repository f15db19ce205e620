using Ose.Tasks.Data;
using Ose.Models.Sources;
using Xunit;

namespace Ose.Testing;

/// <summary>
/// A test on a packaged source model prepared by `ose data prepare` (and on the prepared corpus when it needs it).
/// Skipped, saying why, on a developer's machine that has not prepared it; never skipped under CI=true, where CI
/// prepares the data first, so a missing model fails the test instead of hiding it.
/// </summary>
public sealed class PreparedSourceFactAttribute : FactAttribute
{
    public PreparedSourceFactAttribute(string name = "minilm", bool needsCorpus = false)
    {
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase)) return;
        var data = DataDirectory.Resolve(null);
        if (!PackagedModels.IsPrepared(data, PackagedModels.Find(name)!))
            Skip = $"source {name} is not prepared in {data.Root}: run ./ose data prepare (under CI=true this test fails instead)";
        else if (needsCorpus && !DataPreparation.IsPrepared(data))
            Skip = $"no prepared corpus in {data.Root}: run ./ose data prepare (under CI=true this test fails instead)";
    }
}
