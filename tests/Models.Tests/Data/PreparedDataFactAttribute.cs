using Ose.Models.Data;
using Xunit;

namespace Ose.Models.Tests.Data;

/// <summary>A test on the real data of `ose data prepare`: skipped, and saying why, where it has not been prepared.</summary>
public sealed class PreparedDataFactAttribute : FactAttribute
{
    public PreparedDataFactAttribute()
    {
        if (!DataPreparation.IsPrepared(DataDirectory.Resolve(null)))
            Skip = $"no prepared data in {DataDirectory.Resolve(null).Root}: run `ose data prepare` (or set OSE_DATA)";
    }
}
