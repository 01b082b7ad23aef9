namespace Lantern.Tests.Support;

/// <summary>
/// PostgreSQL for tests comes from LANTERN_TEST_POSTGRES (a connection string without Database=);
/// .ci/run starts a private cluster and sets it. Without it, PostgreSQL tests skip and say why.
/// </summary>
public static class TestPostgres
{
    public const string Variable = "LANTERN_TEST_POSTGRES";

    public static string? ServerConnection => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } s ? s : null;

    public static string NewDatabaseConnection()
    {
        Assert.SkipWhen(ServerConnection is null, $"{Variable} is not set: PostgreSQL tests need a server (bash .ci/run starts one)");
        return $"{ServerConnection};Database=lantern_test_{Guid.NewGuid():N}";
    }
}
