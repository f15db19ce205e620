using System.Runtime.InteropServices;

namespace Ose.IO;

/// <summary>The few POSIX calls .NET has no managed way to make: fsync of a directory, and flock(2) on a descriptor of our own.</summary>
internal static class Libc
{
    public const int OpenReadOnly = 0, OpenReadWrite = 2, OpenCreate = 0x40, OpenCloseOnExec = 0x80000;
    public const int LockExclusive = 2, LockNonBlocking = 4, LockRelease = 8;
    public const int WouldBlock = 11;

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    public static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, int mode = 0);

    [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
    public static extern int Fsync(int descriptor);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    public static extern int Close(int descriptor);

    [DllImport("libc", EntryPoint = "flock", SetLastError = true)]
    public static extern int Flock(int descriptor, int operation);

    [DllImport("libc", EntryPoint = "ftruncate", SetLastError = true)]
    public static extern int Ftruncate(int descriptor, long length);

    [DllImport("libc", EntryPoint = "pwrite", SetLastError = true)]
    public static extern nint Pwrite(int descriptor, byte[] buffer, nuint count, long offset);

    [DllImport("libc", EntryPoint = "pread", SetLastError = true)]
    public static extern nint Pread(int descriptor, byte[] buffer, nuint count, long offset);
}
