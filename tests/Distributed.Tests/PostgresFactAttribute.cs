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
