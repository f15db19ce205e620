using Ose.IO;

namespace Ose.Tests.IO;

public sealed class FolderLockTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("ose-lock-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void A_held_lock_refuses_a_second_holder_naming_the_owner_process_and_host()
    {
        using (FolderLock.Acquire(folder))
        {
            var refused = Assert.Throws<UserInputException>(() => FolderLock.Acquire(folder));
            Assert.Contains($"is in use by process {Environment.ProcessId} on {Environment.MachineName}", refused.Message);
        }
        FolderLock.Acquire(folder).Dispose();
    }

    [Fact]
    public void A_lock_file_left_by_a_dead_owner_is_taken_over()
    {
        // What kill -9 of a holder leaves: the file with its owner's text, and no process holding the lock.
        File.WriteAllText(Path.Combine(folder, FolderLock.FileName), "process 999999 on elsewhere since 2020-01-01 00:00:00Z");

        using var held = FolderLock.Acquire(folder);

        var refused = Assert.Throws<UserInputException>(() => FolderLock.Acquire(folder));
        Assert.Contains($"process {Environment.ProcessId}", refused.Message);
        Assert.DoesNotContain("999999", refused.Message);
    }
}
