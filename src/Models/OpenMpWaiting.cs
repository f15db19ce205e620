using System.Runtime.InteropServices;

namespace Ose.Models;

/// <summary>
/// How libtorch's OpenMP threads (libgomp) wait between parallel regions. By default each spins for about 300,000
/// iterations before sleeping, which pays on a machine that runs nothing else; on a shared one it burns the time slice
/// the thread being waited for needs. perf on this 2-core machine under its usual load (8-15 runnable processes): 40-56%
/// of a forward pass in libgomp's spin loop; the MiniLM shape at batch 1 took 430-1,900 ms with spinning and 43-220 ms
/// with passive waiting, ONNX Runtime 40-100 ms beside it (docs/benchmarks.md). Passive waiting costs a futex wake per
/// region when the machine is idle instead.
/// </summary>
public static class OpenMpWaiting
{
    /// <summary>
    /// Makes libgomp wait passively unless the user set OMP_WAIT_POLICY. libgomp reads its settings once, when libtorch
    /// loads: call this first thing in a process, before any TorchSharp call.
    /// </summary>
    public static void PreferPassive()
    {
        if (Environment.GetEnvironmentVariable("OMP_WAIT_POLICY") is not null || !(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS())) return;
        // The native environment, which libgomp reads: Environment.SetEnvironmentVariable changes only .NET's copy on Unix.
        if (SetEnvironmentVariable("OMP_WAIT_POLICY", "PASSIVE", overwrite: 0) != 0)
            throw new InvalidOperationException($"setenv failed: errno {Marshal.GetLastPInvokeError()}");
    }

    [DllImport("libc", EntryPoint = "setenv", SetLastError = true)]
    private static extern int SetEnvironmentVariable(string name, string value, int overwrite);
}
