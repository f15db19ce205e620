namespace Ose.Distributed.Tests;

/// <summary>
/// A test against a real PostgreSQL server, whose URL is in <c>OSE_TEST_POSTGRES</c> (<c>.ci/run</c> starts a throw-away
/// one and sets it). Without it the test is skipped, saying why, on a developer's machine, and runs (and fails) under CI,
/// where a missing server is a fault of the script.
/// </summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public const string Variable = "OSE_TEST_POSTGRES";

    public PostgresFactAttribute()
    {
        if (Url is null && Environment.GetEnvironmentVariable("CI") != "true")
            Skip = $"{Variable} is not set: start a PostgreSQL server and set it to its URL (postgresql://user@host:port/db), as .ci/run does";
    }

    /// <summary>The server's URL; under CI a missing one fails the test that asks.</summary>
    public static string? Url => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } url ? url : null;

    public static string RequiredUrl => Url ?? throw new InvalidOperationException($"{Variable} is not set: under CI, .ci/run must start PostgreSQL");
}

/// <summary>
/// A test that restarts the PostgreSQL server of <c>OSE_TEST_POSTGRES</c> with the shell command in
/// <c>OSE_TEST_POSTGRES_RESTART</c> (<c>.ci/run</c> sets both for its throw-away server). Skipped without them on a
/// developer's machine (never restart a server of yours by accident), required under CI.
/// </summary>
public sealed class PostgresRestartFactAttribute : FactAttribute
{
    public const string Variable = "OSE_TEST_POSTGRES_RESTART";

    public PostgresRestartFactAttribute()
    {
        if ((PostgresFactAttribute.Url is null || Command is null) && Environment.GetEnvironmentVariable("CI") != "true")
            Skip = $"{PostgresFactAttribute.Variable} and {Variable} (a shell command that restarts that server) are not both set, as .ci/run sets them";
    }

    public static string? Command => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } command ? command : null;

    /// <summary>Restarts the server and waits until it is back.</summary>
    public static void Restart()
    {
        string command = Command ?? throw new InvalidOperationException($"{Variable} is not set: under CI, .ci/run must set it");
        var start = new System.Diagnostics.ProcessStartInfo("sh") { RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(command);
        using var process = System.Diagnostics.Process.Start(start)!;
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"restart failed ({process.ExitCode}): {error}");
    }
}
