using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;
using System.Text;
using static TorchSharp.torch;

namespace Ose.Models;

/// <summary>
/// Which SGEMM kernels MKL (linked into libtorch_cpu) runs. MKL picks them by CPU vendor, not by what the CPU can do:
/// on AMD it takes a generic AVX2 path (perf: mkl_blas_def_sgemm_kernel_0_zen) even where the CPU has AVX-512, while
/// ONNX Runtime's MLAS uses AVX-512 wherever it exists. MKL caches its vendor check in one integer, which
/// mkl_serv_intel_cpu_true reads first thing (−1 until it first runs); writing "Intel" there before the first matrix
/// product makes MKL choose by the CPU's features instead, as it does on Intel CPUs. This is the fix PyTorch users on
/// AMD apply with LD_PRELOAD, done in process so that `ose` needs no native file of its own. At the MiniLM shape on
/// 2 threads of an AMD EPYC (Zen 5), batch 8: 173 ms → 87 ms a forward pass, ONNX Runtime 92-101 ms beside it;
/// training 1.5-1.7× faster (docs/benchmarks.md, issue 16).
/// </summary>
public static class MklKernels
{
    /// <summary>
    /// On an AMD CPU with the AVX-512 subsets MKL's kernels use, lets MKL choose its kernels by CPU features; elsewhere,
    /// or when the user set MKL_ENABLE_INSTRUCTIONS, leaves MKL as it is. It acts only before MKL's first vendor check
    /// (its first matrix product), since MKL keeps the kernels it chose then; <see cref="BertModel"/> calls it before
    /// its first instance. Loads libtorch.
    /// </summary>
    /// <returns>Whether MKL now treats this AMD CPU as Intel's (false where nothing was changed, or changed too late).</returns>
    public static bool PreferAvx512()
    {
        if (Environment.GetEnvironmentVariable("MKL_ENABLE_INSTRUCTIONS") is not null
            || !OperatingSystem.IsLinux() || !IsAmdWithAvx512()) return false;
        InitializeDeviceType(TorchSharp.DeviceType.CPU); // loads libtorch_cpu, so the name below finds the loaded copy
        if (!NativeLibrary.TryLoad("libtorch_cpu.so", out var library)
            || !NativeLibrary.TryGetExport(library, "mkl_serv_intel_cpu_true", out var check))
            return false;
        var cached = CachedVendorCheck(check);
        if (cached == IntPtr.Zero) return false;
        const int NotCheckedYet = -1, Intel = 1;
        if (Marshal.ReadInt32(cached) == NotCheckedYet) Marshal.WriteInt32(cached, Intel);
        return Marshal.ReadInt32(cached) == Intel;
    }

    private static bool IsAmdWithAvx512() =>
        X86Base.IsSupported && Vendor() == "AuthenticAMD"
        && Avx512F.IsSupported && Avx512BW.IsSupported && Avx512DQ.IsSupported && Avx512F.VL.IsSupported;

    private static string Vendor()
    {
        var (_, ebx, ecx, edx) = X86Base.CpuId(0, 0);
        var bytes = new byte[12];
        BitConverter.TryWriteBytes(bytes.AsSpan(0), ebx);
        BitConverter.TryWriteBytes(bytes.AsSpan(4), edx);
        BitConverter.TryWriteBytes(bytes.AsSpan(8), ecx);
        return Encoding.ASCII.GetString(bytes);
    }

    /// <summary>
    /// The integer mkl_serv_intel_cpu_true caches its answer in, read from its first instructions:
    /// <c>mov eax, [rip + disp32]; test eax, eax</c> (8B 05 disp32 85 C0), as in libtorch-cpu 2.10's MKL. Zero for
    /// any other code: then this is not the MKL this was written for, and nothing is changed.
    /// </summary>
    private static IntPtr CachedVendorCheck(IntPtr function)
    {
        var code = new byte[8];
        Marshal.Copy(function, code, 0, code.Length);
        if (code[0] != 0x8B || code[1] != 0x05 || code[6] != 0x85 || code[7] != 0xC0) return IntPtr.Zero;
        return function + 6 + BitConverter.ToInt32(code, 2);
    }
}
