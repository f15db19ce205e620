using System.Reflection;
using Microsoft.Data.Sqlite;
using Npgsql;
using Ose.IO;

namespace Ose.Cli;

/// <summary>
/// The one place a failure becomes what the user reads (STYLE: errors). A mistake in what the user gave us, or a fault
/// of the machine the run is on (a full disk, a permission, a path that is not a folder), is one line on stderr and
/// exit code 2; an interrupt is one line and 130 (<see cref="Interrupt"/>); anything else is a bug and keeps its trace.
/// </summary>
static class Failures
{
    public const int UserError = 2;
    public const int Interrupted = 130;

    /// <summary>The one line for a failure that is not a bug, or null for a bug.</summary>
    public static string? OneLine(Exception e)
    {
        string? line = e switch
        {
            UserInputException user => user.Message,
            AggregateException { InnerExceptions.Count: 1 } aggregate => OneLine(aggregate.InnerExceptions[0]),
            TargetInvocationException { InnerException: { } inner } => OneLine(inner),
            TypeInitializationException { InnerException: { } inner } => OneLine(inner),
            _ => EnvironmentFault(e),
        };
        return line is null ? null : CrashSafe.PublicNames(string.Join(' ', line.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)));
    }

    private const string Resume = "what was finished is kept: free some space and run the same command again";

    // errno values (Linux) that .NET puts in IOException.HResult on Unix.
    private const int NoSpace = 28, QuotaExceeded = 122, ReadOnlyFileSystem = 30, FileTooLarge = 27, InputOutput = 5,
        Exists = 17, NotADirectory = 20, IsADirectory = 21, NameTooLong = 36, TooManyLinks = 40;

    // SQLite's primary result codes.
    private const int SqliteFull = 13, SqliteReadOnly = 8, SqliteCannotOpen = 14, SqliteInputOutput = 10, SqlitePermission = 3;

    private static string? EnvironmentFault(Exception e) => e switch
    {
        SqliteException { SqliteErrorCode: SqliteFull } => $"no space left on the device: SQLite could not record a trial (database or disk is full); {Resume}",
        SqliteException { SqliteErrorCode: SqliteReadOnly or SqliteCannotOpen or SqliteInputOutput or SqlitePermission } sqlite =>
            $"the trial store cannot be written: {sqlite.Message}",
        NpgsqlException npgsql => $"the trial store (PostgreSQL) failed: {npgsql.Message}",
        IOException { HResult: NoSpace or QuotaExceeded } io => $"no space left on the device{Where(io)}; {Resume}",
        IOException { HResult: ReadOnlyFileSystem } io => $"read-only file system{Where(io)}",
        IOException { HResult: FileTooLarge or InputOutput or Exists or NotADirectory or IsADirectory or NameTooLong or TooManyLinks } io => io.Message,
        PathTooLongException path => path.Message,
        UnauthorizedAccessException denied => denied.Message,
        _ => null,
    };

    /// <summary>" (writing FOLDER)" from .NET's "No space left on device : 'PATH'", the folder the user knows.</summary>
    private static string Where(IOException e)
    {
        int start = e.Message.IndexOf('\'');
        int end = e.Message.LastIndexOf('\'');
        if (start < 0 || end <= start) return "";
        string path = e.Message[(start + 1)..end];
        return $" (writing in {Path.GetDirectoryName(CrashSafe.PublicNames(path)) ?? path})";
    }
}
