using Microsoft.Data.Sqlite;

namespace Ose.Store;

/// <summary>
/// The embedded queue: one SQLite file that the workers of one machine share (in the run folder by default). SQLite
/// has one writer at a time, so a claim needs no row locks: each statement takes the write lock, and a busy timeout
/// makes the others wait for it rather than fail. WAL lets readers (<c>ose status</c>) run beside the writer.
/// </summary>
public sealed class SqliteTrialQueue : TrialQueue
{
    private SqliteTrialQueue(SqliteConnection connection, string path) : base(connection, path) { }

    /// <summary>Seconds since 1970 with milliseconds, from SQLite's Julian day: this machine's clock, which every local worker shares.</summary>
    protected override string Now => "((julianday('now') - 2440587.5) * 86400.0)";

    protected override string SkipLocked => "";

    public static SqliteTrialQueue Open(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
            DefaultTimeout = 60,
        }.ToString());
        try
        {
            connection.Open();
            var queue = new SqliteTrialQueue(connection, path);
            queue.Execute("PRAGMA busy_timeout = 60000;");
            queue.Execute("PRAGMA journal_mode = WAL;");
            queue.CreateSchema("INTEGER PRIMARY KEY", create =>
            {
                // BEGIN IMMEDIATE: the first process to get here creates the tables; the others wait, then find them.
                queue.Execute("BEGIN IMMEDIATE;");
                try
                {
                    create();
                    queue.Execute("COMMIT;");
                }
                catch
                {
                    queue.Execute("ROLLBACK;");
                    throw;
                }
            });
            return queue;
        }
        catch (SqliteException e)
        {
            connection.Dispose();
            throw new UserInputException($"cannot open trial store {path}: {e.Message}");
        }
    }
}
