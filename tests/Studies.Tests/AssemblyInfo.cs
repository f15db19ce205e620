using System.Runtime.CompilerServices;
using Xunit;

// Studies train with TorchSharp's global generator and share 2 cores: one test at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace Ose.Studies.Tests;

static class OneTorchThread
{
    /// <summary>dotnet test runs the test assemblies side by side; libtorch's OpenMP threads spin-wait on a busy 2-core machine.</summary>
    [ModuleInitializer]
    internal static void Set() => TorchSharp.torch.set_num_threads(1);
}
