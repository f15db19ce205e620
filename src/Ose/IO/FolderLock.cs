using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace Ose.IO;

/// <summary>
/// One process at a time in a folder: an exclusive flock(2) on <c>FOLDER/.lock</c>, held while the process runs. The
/// kernel drops the lock when its holder exits however it exits (kill -9 included), so a lock left by a dead process is
/// simply taken over; the file's text (owner pid, host and start) is only there to tell the next process who holds it.
/// </summary>
public sealed class FolderLock : IDisposable
{
    public const string FileName = ".lock";

    private int descriptor;

    private FolderLock(int descriptor) => this.descriptor = descriptor;

    /// <summary>Takes the lock of <paramref name="folder"/> (which must exist), or says who holds it.</summary>
    public static FolderLock Acquire(string folder)
    {
        string path = Path.Combine(folder, FileName);
        int descriptor = Libc.Open(path, Libc.OpenReadWrite | Libc.OpenCreate | Libc.OpenCloseOnExec, Convert.ToInt32("644", 8));
        if (descriptor < 0) throw new IOException($"cannot open {path}: {Marshal.GetLastPInvokeErrorMessage()}", Marshal.GetLastPInvokeError());
        if (Libc.Flock(descriptor, Libc.LockExclusive | Libc.LockNonBlocking) != 0)
        {
            int error = Marshal.GetLastPInvokeError();
            string owner = ReadOwner(descriptor);
            _ = Libc.Close(descriptor);
            if (error == Libc.WouldBlock)
                throw new UserInputException($"{folder} is in use by {(owner.Length > 0 ? owner : "another process")}: wait for it to finish, or use another --out");
            throw new IOException($"cannot lock {path}: {Marshal.GetLastPInvokeErrorMessage()}", error);
        }
        var held = new FolderLock(descriptor);
        held.WriteOwner();
        return held;
    }

    private void WriteOwner()
    {
        string owner = string.Create(CultureInfo.InvariantCulture,
            $"process {Environment.ProcessId} on {Environment.MachineName} since {DateTime.UtcNow:yyyy-MM-dd HH:mm:ss}Z");
        byte[] bytes = Encoding.UTF8.GetBytes(owner);
        if (Libc.Ftruncate(descriptor, 0) != 0 || Libc.Pwrite(descriptor, bytes, (nuint)bytes.Length, 0) != bytes.Length)
            throw new IOException($"cannot write the lock's owner: {Marshal.GetLastPInvokeErrorMessage()}", Marshal.GetLastPInvokeError());
    }

    private static string ReadOwner(int descriptor)
    {
        var buffer = new byte[256];
        nint read = Libc.Pread(descriptor, buffer, (nuint)buffer.Length, 0);
        return read > 0 ? Encoding.UTF8.GetString(buffer, 0, (int)read).Trim() : "";
    }

    public void Dispose()
    {
        if (descriptor < 0) return;
        _ = Libc.Ftruncate(descriptor, 0);
        _ = Libc.Flock(descriptor, Libc.LockRelease);
        _ = Libc.Close(descriptor);
        descriptor = -1;
    }
}
