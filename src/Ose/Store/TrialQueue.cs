using System.Data;
using System.Data.Common;

namespace Ose.Store;

/// <summary>Where a trial is in its life: WAITING → RUNNING → COMPLETE | FAILED (DESIGN §4).</summary>
public enum TrialState { Waiting, Running, Complete, Failed }

/// <summary>What a trial evaluates: one architecture under one error identity; <see cref="Repeat"/> names the other seed of a repeat.</summary>
public sealed record TrialSpec(string Identity, Architecture Architecture, int Repeat = 0);

/// <summary>A trial held by one worker. <see cref="Token"/> is new on every claim and fences every later write of that worker.</summary>
public sealed record TrialClaim(long Id, TrialSpec Spec, string Owner, string Token, int Attempt, string? CheckpointPath);

/// <summary>One row of a study as <c>ose status</c> and the waiting search read it; ages are by the database's clock.</summary>
public sealed record TrialRecord(long Id, TrialSpec Spec, TrialState State, int Attempt, int MaxAttempts, double? Error,
    double? Seconds, string? Failure, string? Owner, TimeSpan? Held, TimeSpan? ExpiresIn);

/// <summary>A named search whose trials a queue holds; <see cref="Request"/> is what workers need to build its error (JSON).</summary>
public sealed record Study(long Id, string Name, string Request, bool Finished);

/// <summary>
/// Trials with states and leases in a database (DESIGN §4, Optuna's RDB storage): the search enqueues the candidates it
/// wants evaluated, workers claim one at a time, heartbeat, and complete or fail it. Every write after a claim is fenced
/// by the claim's token (<c>WHERE id = … AND lease_token = … AND state = 'RUNNING'</c>): 0 rows means the lease was taken
/// by another worker, and the caller discards its result. Times are the database's clock, in seconds since 1970, so
/// machines with skewed clocks agree on when a lease expires. Each statement is its own short transaction. One class
/// for the SQL both databases share; <see cref="Now"/>, <see cref="SkipLocked"/> and the schema are theirs.
/// </summary>
public abstract class TrialQueue : IDisposable
{
    /// <summary>The version of the tables below; a store written by another version is refused, not guessed at.</summary>
    public const int SchemaVersion = 1;

    /// <summary>Attempts a trial gets before it is FAILED with its last error (Optuna: a zombie trial costs one attempt).</summary>
    public const int DefaultMaxAttempts = 3;

    private readonly object gate = new();

    protected TrialQueue(DbConnection connection, string description)
    {
        Connection = connection;
        Description = description;
    }

    protected DbConnection Connection { get; }

    /// <summary>Where the store is, for messages (a file, or host/database; never a password).</summary>
    public string Description { get; }

    /// <summary>SQL for the database clock in seconds since 1970.</summary>
    protected abstract string Now { get; }

    /// <summary>What follows the SELECT of the claim so that concurrent claimers skip each other's row ("" where one writer holds the database).</summary>
    protected abstract string SkipLocked { get; }

    /// <summary>Whether an exception is a dropped connection worth reconnecting for (a database restart).</summary>
    protected virtual bool IsTransient(Exception e) => false;

    /// <summary>Creates the tables (once, safe against other processes doing the same) and checks the schema version.</summary>
    protected void CreateSchema(string idColumn, Action<Action> exclusively)
    {
        exclusively(() =>
        {
            Execute("CREATE TABLE IF NOT EXISTS ose_schema (version INTEGER NOT NULL)");
            Execute($"""
                CREATE TABLE IF NOT EXISTS study (
                    id {idColumn}, name TEXT NOT NULL UNIQUE, request TEXT NOT NULL,
                    finished INTEGER NOT NULL DEFAULT 0, created_at DOUBLE PRECISION NOT NULL)
                """);
            Execute($"""
                CREATE TABLE IF NOT EXISTS trial (
                    id {idColumn}, study_id BIGINT NOT NULL REFERENCES study (id),
                    identity TEXT NOT NULL, d INTEGER NOT NULL, a INTEGER NOT NULL, h INTEGER NOT NULL, i INTEGER NOT NULL,
                    repeat_index INTEGER NOT NULL, state TEXT NOT NULL,
                    attempt INTEGER NOT NULL DEFAULT 0, max_attempts INTEGER NOT NULL,
                    lease_owner TEXT, lease_token TEXT, claimed_at DOUBLE PRECISION, lease_expires_at DOUBLE PRECISION,
                    heartbeat_at DOUBLE PRECISION, checkpoint_path TEXT,
                    error DOUBLE PRECISION, seconds DOUBLE PRECISION, failure TEXT, completed_at DOUBLE PRECISION,
                    UNIQUE (study_id, identity, d, a, h, i))
                """);
            Execute("CREATE INDEX IF NOT EXISTS trial_by_state ON trial (study_id, state, id)");
            if (Scalar("SELECT COUNT(*) FROM ose_schema") is 0L)
                Execute("INSERT INTO ose_schema (version) VALUES (@v)", ("v", SchemaVersion));
        });
        long version = Convert.ToInt64(Scalar("SELECT MAX(version) FROM ose_schema"));
        if (version != SchemaVersion)
            throw new UserInputException($"trial store {Description} has schema version {version}; this ose reads version {SchemaVersion}");
    }

    /// <summary>The study of that name, created with <paramref name="request"/> when it does not exist yet.</summary>
    public Study OpenStudy(string name, string request) => Locked(() =>
    {
        Execute($"INSERT INTO study (name, request, created_at) VALUES (@name, @request, {Now}) ON CONFLICT (name) DO NOTHING",
            ("name", name), ("request", request));
        return FindStudyUnlocked(name)!;
    });

    public Study? FindStudy(string name) => Locked(() => FindStudyUnlocked(name));

    /// <summary>Marks whether the search of a study is over: workers without work then stop.</summary>
    public void SetFinished(long study, bool finished) =>
        Locked(() => Execute("UPDATE study SET finished = @f WHERE id = @id", ("f", finished ? 1 : 0), ("id", study)));

    /// <summary>
    /// Adds trials as WAITING; one already there is left as it is, except a FAILED one, which a new search retries with
    /// fresh attempts.
    /// </summary>
    public void Enqueue(long study, IEnumerable<TrialSpec> specs, int maxAttempts = DefaultMaxAttempts) => Locked(() =>
    {
        foreach (var spec in specs)
            Execute("""
                INSERT INTO trial (study_id, identity, d, a, h, i, repeat_index, state, max_attempts)
                VALUES (@study, @identity, @d, @a, @h, @i, @r, 'WAITING', @max)
                ON CONFLICT (study_id, identity, d, a, h, i) DO UPDATE SET state = 'WAITING', attempt = 0, failure = NULL,
                    max_attempts = excluded.max_attempts
                WHERE trial.state = 'FAILED'
                """,
                ("study", study), ("identity", spec.Identity), ("d", spec.Architecture.D), ("a", spec.Architecture.A),
                ("h", spec.Architecture.H), ("i", spec.Architecture.I), ("r", spec.Repeat), ("max", maxAttempts));
    });

    /// <summary>
    /// Claims the oldest claimable trial (WAITING, or RUNNING with an expired lease) for <paramref name="owner"/>: one
    /// attempt more, a new token, a lease of <paramref name="lease"/> from now by the database's clock. Null when none.
    /// </summary>
    public TrialClaim? Claim(long study, string owner, TimeSpan lease) => Locked(() =>
    {
        FailExhausted(study);
        string token = Guid.NewGuid().ToString("N");
        using var command = Command($"""
            UPDATE trial SET state = 'RUNNING', attempt = attempt + 1, lease_owner = @owner, lease_token = @token,
                claimed_at = {Now}, heartbeat_at = {Now}, lease_expires_at = {Now} + @lease
            WHERE id = (SELECT id FROM trial
                WHERE study_id = @study AND attempt < max_attempts
                  AND (state = 'WAITING' OR (state = 'RUNNING' AND lease_expires_at < {Now}))
                ORDER BY id LIMIT 1 {SkipLocked})
            RETURNING id, identity, d, a, h, i, repeat_index, attempt, checkpoint_path
            """, ("owner", owner), ("token", token), ("lease", lease.TotalSeconds), ("study", study));
        using var reader = command.ExecuteReader();
        if (!reader.Read()) return null;
        return new TrialClaim(reader.GetInt64(0),
            new TrialSpec(reader.GetString(1), new Architecture(reader.GetInt32(2), reader.GetInt32(3), reader.GetInt32(4), reader.GetInt32(5)),
                reader.GetInt32(6)),
            owner, token, reader.GetInt32(7), reader.IsDBNull(8) ? null : reader.GetString(8));
    });

    /// <summary>Extends the lease (and records where the training checkpoints); false when the lease was lost.</summary>
    public bool Heartbeat(TrialClaim claim, TimeSpan lease, string? checkpointPath = null) => Locked(() => Fenced(claim, $"""
        UPDATE trial SET lease_expires_at = {Now} + @lease, heartbeat_at = {Now},
            checkpoint_path = COALESCE(@checkpoint, checkpoint_path)
        """, ("lease", lease.TotalSeconds), ("checkpoint", checkpointPath)));

    /// <summary>Stores the result; false, and nothing written, when the lease was lost (the trial is another worker's now).</summary>
    public bool Complete(TrialClaim claim, double error, double seconds) => Locked(() => Fenced(claim, $"""
        UPDATE trial SET state = 'COMPLETE', error = @error, seconds = @seconds, completed_at = {Now}, failure = NULL,
            lease_token = NULL, lease_expires_at = NULL
        """, ("error", error), ("seconds", seconds)));

    /// <summary>An evaluation that threw: WAITING again while attempts remain, else FAILED; the error is kept either way.</summary>
    public bool Fail(TrialClaim claim, string failure) => Locked(() => Fenced(claim, """
        UPDATE trial SET state = CASE WHEN attempt < max_attempts THEN 'WAITING' ELSE 'FAILED' END, failure = @failure,
            lease_token = NULL, lease_expires_at = NULL
        """, ("failure", failure)));

    /// <summary>A worker told to stop hands its trial back at once; an interrupt is not a failed attempt.</summary>
    public bool Release(TrialClaim claim) => Locked(() => Fenced(claim, """
        UPDATE trial SET state = 'WAITING', attempt = attempt - 1, lease_token = NULL, lease_expires_at = NULL
        """));

    /// <summary>Every trial of the study in the order they were enqueued.</summary>
    public IReadOnlyList<TrialRecord> Trials(long study) => Locked(() =>
    {
        FailExhausted(study);
        using var command = Command($"""
            SELECT id, identity, d, a, h, i, repeat_index, state, attempt, max_attempts, error, seconds, failure, lease_owner,
                {Now} - claimed_at, lease_expires_at - {Now}
            FROM trial WHERE study_id = @study ORDER BY id
            """, ("study", study));
        using var reader = command.ExecuteReader();
        var trials = new List<TrialRecord>();
        while (reader.Read())
        {
            var state = Enum.Parse<TrialState>(reader.GetString(7), ignoreCase: true);
            bool running = state == TrialState.Running;
            trials.Add(new TrialRecord(reader.GetInt64(0),
                new TrialSpec(reader.GetString(1), new Architecture(reader.GetInt32(2), reader.GetInt32(3), reader.GetInt32(4), reader.GetInt32(5)),
                    reader.GetInt32(6)),
                state, reader.GetInt32(8), reader.GetInt32(9), Nullable(reader, 10), Nullable(reader, 11),
                reader.IsDBNull(12) ? null : reader.GetString(12),
                running && !reader.IsDBNull(13) ? reader.GetString(13) : null,
                running && Nullable(reader, 14) is { } held ? TimeSpan.FromSeconds(held) : null,
                running && Nullable(reader, 15) is { } left ? TimeSpan.FromSeconds(left) : null));
        }
        return trials;
    });

    /// <summary>Stores a result computed without a claim (a search evaluating in its own process).</summary>
    public void Record(long study, TrialSpec spec, double error, double seconds) => Locked(() =>
        Execute($"""
            INSERT INTO trial (study_id, identity, d, a, h, i, repeat_index, state, attempt, max_attempts, error, seconds, completed_at)
            VALUES (@study, @identity, @d, @a, @h, @i, @r, 'COMPLETE', 1, 1, @error, @seconds, {Now})
            ON CONFLICT (study_id, identity, d, a, h, i) DO UPDATE SET state = 'COMPLETE', error = excluded.error,
                seconds = excluded.seconds, completed_at = excluded.completed_at, lease_token = NULL
            """,
            ("study", study), ("identity", spec.Identity), ("d", spec.Architecture.D), ("a", spec.Architecture.A),
            ("h", spec.Architecture.H), ("i", spec.Architecture.I), ("r", spec.Repeat), ("error", error), ("seconds", seconds)));

    public void Dispose() => Connection.Dispose();

    /// <summary>A RUNNING trial whose lease expired on its last attempt will never be claimed again: FAILED, saying so.</summary>
    private void FailExhausted(long study) => Execute($"""
        UPDATE trial SET state = 'FAILED', failure = COALESCE(failure || '; ', '') || 'lease of ' || COALESCE(lease_owner, '?')
            || ' expired on the last attempt', lease_token = NULL
        WHERE study_id = @study AND state = 'RUNNING' AND attempt >= max_attempts AND lease_expires_at < {Now}
        """, ("study", study));

    private bool Fenced(TrialClaim claim, string update, params (string Name, object? Value)[] parameters) =>
        Execute(update + " WHERE id = @id AND lease_token = @token AND state = 'RUNNING'",
            [.. parameters, ("id", claim.Id), ("token", claim.Token)]) == 1;

    private Study? FindStudyUnlocked(string name)
    {
        using var command = Command("SELECT id, name, request, finished FROM study WHERE name = @name", ("name", name));
        using var reader = command.ExecuteReader();
        return reader.Read() ? new Study(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), Convert.ToInt64(reader.GetValue(3)) != 0) : null;
    }

    /// <summary>
    /// One operation at a time on the connection (a worker's heartbeat runs beside its evaluation); a dropped connection
    /// is reopened and the operation tried again for up to a minute, so a database restart costs a pause, not the run.
    /// </summary>
    private T Locked<T>(Func<T> operation)
    {
        lock (gate)
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(1);
            while (true)
            {
                try
                {
                    if (Connection.State != ConnectionState.Open)
                    {
                        Connection.Close();
                        Connection.Open();
                    }
                    return operation();
                }
                catch (Exception e) when (IsTransient(e) && DateTime.UtcNow < deadline)
                {
                    Thread.Sleep(TimeSpan.FromSeconds(1));
                    try { Connection.Close(); } catch (Exception) { /* reopened on the next try */ }
                }
            }
        }
    }

    private void Locked(Action operation) => Locked(() => { operation(); return 0; });

    protected int Execute(string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(sql, parameters);
        return command.ExecuteNonQuery();
    }

    private object? Scalar(string sql)
    {
        using var command = Command(sql);
        return command.ExecuteScalar();
    }

    private DbCommand Command(string sql, params (string Name, object? Value)[] parameters)
    {
        var command = Connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = "@" + name;
            parameter.Value = value ?? DBNull.Value;
            if (value is null) parameter.DbType = DbType.String;
            command.Parameters.Add(parameter);
        }
        return command;
    }

    private static double? Nullable(DbDataReader reader, int column) => reader.IsDBNull(column) ? null : reader.GetDouble(column);
}
