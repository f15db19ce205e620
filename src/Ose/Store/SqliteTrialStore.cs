using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Ose.Store;

/// <summary>
/// The embedded default store: one SQLite file in the run directory. Every trial is committed on its own,
/// so a search killed at any point loses at most the evaluation in flight.
/// </summary>
public sealed class SqliteTrialStore : ITrialStore
{
    public const string FileName = "trials.sqlite";

    private readonly SqliteConnection connection;

    public SqliteTrialStore(string path)
    {
        try
        {
            connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
            connection.Open();
            Execute("PRAGMA journal_mode = WAL;");
            Execute("""
                CREATE TABLE IF NOT EXISTS trials (
                    error_identity TEXT NOT NULL,
                    d INTEGER NOT NULL, a INTEGER NOT NULL, h INTEGER NOT NULL, i INTEGER NOT NULL,
                    error REAL NOT NULL,
                    seconds REAL NOT NULL,
                    completed_at TEXT NOT NULL,
                    PRIMARY KEY (error_identity, d, a, h, i));
                """);
        }
        catch (SqliteException e)
        {
            throw new UserInputException($"cannot open trial store {path}: {e.Message}");
        }
    }

    public IReadOnlyList<Trial> Load(string errorIdentity)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT d, a, h, i, error, seconds, completed_at FROM trials WHERE error_identity = $id ORDER BY rowid";
        command.Parameters.AddWithValue("$id", errorIdentity);
        using var reader = command.ExecuteReader();
        var trials = new List<Trial>();
        while (reader.Read())
            trials.Add(new Trial(errorIdentity,
                new Architecture(reader.GetInt32(0), reader.GetInt32(1), reader.GetInt32(2), reader.GetInt32(3)),
                reader.GetDouble(4), reader.GetDouble(5),
                DateTimeOffset.Parse(reader.GetString(6), CultureInfo.InvariantCulture)));
        return trials;
    }

    public void Record(Trial trial)
    {
        using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT OR REPLACE INTO trials (error_identity, d, a, h, i, error, seconds, completed_at)
            VALUES ($id, $d, $a, $h, $i, $error, $seconds, $at)
            """;
        command.Parameters.AddWithValue("$id", trial.ErrorIdentity);
        command.Parameters.AddWithValue("$d", trial.Architecture.D);
        command.Parameters.AddWithValue("$a", trial.Architecture.A);
        command.Parameters.AddWithValue("$h", trial.Architecture.H);
        command.Parameters.AddWithValue("$i", trial.Architecture.I);
        command.Parameters.AddWithValue("$error", trial.Error);
        command.Parameters.AddWithValue("$seconds", trial.Seconds);
        command.Parameters.AddWithValue("$at", trial.CompletedAt.ToString("O", CultureInfo.InvariantCulture));
        command.ExecuteNonQuery();
    }

    public void Dispose() => connection.Dispose();

    private void Execute(string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
