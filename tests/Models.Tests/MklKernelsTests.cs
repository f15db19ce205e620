using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;
using Xunit;
using static TorchSharp.torch;

namespace Ose.Models.Tests;

public class MklKernelsTests
{
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int VendorCheck();

    /// <summary>MKL's own answer to "is this an Intel CPU?", which chooses its kernels.</summary>
    private static bool MklTreatsCpuAsIntel()
    {
        InitializeDeviceType(TorchSharp.DeviceType.CPU);
        var check = NativeLibrary.GetExport(NativeLibrary.Load("libtorch_cpu.so"), "mkl_serv_intel_cpu_true");
        return Marshal.GetDelegateForFunctionPointer<VendorCheck>(check)() != 0;
    }

    private static bool AmdWithAvx512 => X86Base.IsSupported && Avx512F.IsSupported
        && X86Base.CpuId(0, 0) is (_, 0x68747541, 0x444D4163, 0x69746E65); // "AuthenticAMD" as CPUID returns it

    [Fact]
    public void On_an_AMD_CPU_with_AVX512_MKL_is_told_Intel_and_its_products_stay_exact()
    {
        // The test assembly's module initializer made the first call, before any matrix product, as BertModel does.
        bool applied = MklKernels.PreferAvx512();

        if (AmdWithAvx512 && Environment.GetEnvironmentVariable("MKL_ENABLE_INSTRUCTIONS") is null)
            Assert.True(applied && MklTreatsCpuAsIntel(), $"applied {applied}, MKL treats the CPU as Intel: {MklTreatsCpuAsIntel()}");

        // The shapes of a MiniLM layer at batch 8: float32 products against float64 ones on the same numbers.
        manual_seed(5);
        var x = randn(8 * 128, 384);
        var w = randn(1536, 384);
        var product = nn.functional.linear(x, w);
        var exact = nn.functional.linear(x.to(ScalarType.Float64), w.to(ScalarType.Float64));
        double error = (product.to(ScalarType.Float64) - exact).abs().max().item<double>();
        Assert.True(error < 1e-3, $"largest error {error}");
    }

    [Fact]
    public void A_user_who_chose_MKL_instructions_keeps_them()
    {
        string? before = Environment.GetEnvironmentVariable("MKL_ENABLE_INSTRUCTIONS");
        try
        {
            Environment.SetEnvironmentVariable("MKL_ENABLE_INSTRUCTIONS", "AVX2");
            Assert.False(MklKernels.PreferAvx512());
        }
        finally
        {
            Environment.SetEnvironmentVariable("MKL_ENABLE_INSTRUCTIONS", before);
        }
    }
}
