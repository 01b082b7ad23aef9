using System.Net;
using System.Text.Json;
using Lantern.Server.Platform.Health;
using Lantern.Server.Platform.Storage;
using Lantern.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Lantern.Tests.Platform;

public sealed class HealthTests
{
    [Fact]
    public async Task Live_and_ready_answer_without_signing_in()
    {
        await using var app = LanternApp.Sqlite();
        using var http = app.NewBrowserlessClient();

        var live = await http.GetAsync("/health/live");
        var ready = await http.GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        using var body = JsonDocument.Parse(await ready.Content.ReadAsStringAsync());
        Assert.Equal("Healthy", body.RootElement.GetProperty("status").GetString());
        Assert.Equal("database", body.RootElement.GetProperty("checks")[0].GetProperty("name").GetString());
    }

    [Fact]
    public async Task Database_check_is_unhealthy_when_the_database_cannot_be_reached()
    {
        var unreachable = new DbContextOptionsBuilder<LanternPostgresDb>()
            .UseNpgsql("Host=/nonexistent-socket-dir;Database=lantern;Timeout=2").Options;
        await using var db = new LanternPostgresDb(unreachable);

        var result = await new DatabaseHealthCheck(db).CheckHealthAsync(new HealthCheckContext(), TestContext.Current.CancellationToken);

        Assert.Equal(HealthStatus.Unhealthy, result.Status);
    }

    [Fact]
    public async Task Database_check_is_unhealthy_when_migrations_are_pending()
    {
        var file = LanternApp.NewSqliteFile();
        try
        {
            await using var empty = new LanternSqliteDb(new DbContextOptionsBuilder<LanternSqliteDb>().UseSqlite($"Data Source={file}").Options);
            await empty.Database.OpenConnectionAsync(TestContext.Current.CancellationToken); // creates the file, with no schema
            await empty.Database.CloseConnectionAsync();

            var result = await new DatabaseHealthCheck(empty).CheckHealthAsync(new HealthCheckContext(), TestContext.Current.CancellationToken);

            Assert.Equal(HealthStatus.Unhealthy, result.Status);
            Assert.Contains("migration", result.Description, StringComparison.Ordinal);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            File.Delete(file);
        }
    }
}
