using System.Runtime.CompilerServices;

// Seeded tests use TorchSharp's global generator, and two tests training at once would also share 2 cores:
// run the tests of each assembly that links this file one after another.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace Ose.Testing;

static class OneTorchThread
{
    /// <summary>
    /// dotnet test runs the test assemblies side by side; libtorch's OpenMP threads spin-wait on a busy 2-core machine
    /// and a 3 s training test then takes minutes. One intra-op thread per assembly avoids that.
    /// </summary>
    [ModuleInitializer]
    internal static void Set() => TorchSharp.torch.set_num_threads(1);

    /// <summary>MKL's kernels as the ose command gets them, chosen before any test's first matrix product.</summary>
    [ModuleInitializer]
    internal static void PreferAvx512() => Ose.Models.MklKernels.PreferAvx512();
}
