using Microsoft.Data.Sqlite;
using Ose.Cli;

namespace Ose.Reliability.Tests;

/// <summary>
/// What real faults of the machine become, checked in process so that it holds where no tmpfs can be mounted: the
/// errors come from the kernel (/dev/full answers every write with ENOSPC) and from SQLite itself.
/// </summary>
public sealed class FailureMappingTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("ose-failures-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void A_write_to_a_full_device_is_one_line_that_says_so_and_how_to_go_on()
    {
        var full = Assert.ThrowsAny<IOException>(() => File.WriteAllText("/dev/full", "a checkpoint"));

        Assert.Equal("no space left on the device (writing in /dev); what was finished is kept: free some space and run the same command again",
            Failures.OneLine(full));
    }

    [Fact]
    public void A_sqlite_store_that_cannot_grow_is_one_line_that_says_the_disk_is_full()
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(folder, "trials.sqlite")};Pooling=False");
        connection.Open();
        void Execute(string sql)
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            command.ExecuteNonQuery();
        }
        Execute("CREATE TABLE t (x BLOB)");
        // A database capped at its current size fails the next insert as a full disk does: SQLITE_FULL.
        Execute("PRAGMA max_page_count = 2");
        var full = Assert.Throws<SqliteException>(() => Execute("INSERT INTO t VALUES (zeroblob(100000))"));

        Assert.Equal(13, full.SqliteErrorCode);
        Assert.StartsWith("no space left on the device: SQLite could not record a trial", Failures.OneLine(full));
    }

    [Fact]
    public void A_fault_naming_a_staging_file_names_the_file_the_user_knows()
    {
        string staging = Path.Combine(folder, $".checkpoint.{Guid.NewGuid():N}.staging", "model.bin");
        var full = new IOException($"No space left on device : '{staging}'", 28);

        Assert.Equal($"no space left on the device (writing in {Path.Combine(folder, "checkpoint")}); what was finished is kept: free some space and run the same command again",
            Failures.OneLine(full));
    }

    [Fact]
    public void A_permission_the_kernel_refuses_is_one_line_and_a_bug_is_not()
    {
        // sysfs refuses to create files to everyone, root included: a real EACCES.
        var denied = Assert.Throws<UnauthorizedAccessException>(() => File.WriteAllText("/sys/ose-reliability-test", ""));

        Assert.Equal("Access to the path '/sys/ose-reliability-test' is denied.", Failures.OneLine(denied));
        Assert.Null(Failures.OneLine(new NullReferenceException()));
        Assert.Null(Failures.OneLine(new IOException("a bug of ours")));
    }
}
