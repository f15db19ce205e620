using System.Runtime.InteropServices;

namespace Ose.Models.Tests;

public class OpenMpWaitingTests
{
    [DllImport("libc", EntryPoint = "getenv")]
    private static extern IntPtr NativeVariable(string name);

    [Fact]
    public void Passive_waiting_reaches_the_native_environment_unless_the_user_chose_a_policy()
    {
        string? chosen = Environment.GetEnvironmentVariable("OMP_WAIT_POLICY");

        OpenMpWaiting.PreferPassive();

        // libgomp reads the C environment, which Environment.SetEnvironmentVariable does not change on Unix.
        Assert.Equal(chosen ?? "PASSIVE", Marshal.PtrToStringUTF8(NativeVariable("OMP_WAIT_POLICY")));
    }
}
