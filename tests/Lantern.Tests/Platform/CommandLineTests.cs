using System.Diagnostics;
using Lantern.Server.Platform.Storage;
using Lantern.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Lantern.Tests.Platform;

/// <summary>The server binary's own command line, run as a real process.</summary>
public sealed class CommandLineTests
{
    [Fact]
    public async Task Migrate_command_creates_the_schema_and_exits_without_seeding_or_serving()
    {
        var file = LanternApp.NewSqliteFile();
        try
        {
            var (exit, output) = await RunServerAsync(["migrate"], new()
            {
                ["ConnectionStrings__Lantern"] = $"Data Source={file}",
                ["Lantern__DemoMode"] = "true",
                ["ASPNETCORE_ENVIRONMENT"] = "Development",
            });

            Assert.True(exit == 0, output);
            await using var db = new LanternSqliteDb(new DbContextOptionsBuilder<LanternSqliteDb>().UseSqlite($"Data Source={file}").Options);
            Assert.Empty(await db.Database.GetPendingMigrationsAsync(TestContext.Current.CancellationToken));
            Assert.Equal(0, await db.Wards.CountAsync(TestContext.Current.CancellationToken));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Demo_mode_is_refused_in_production()
    {
        var file = LanternApp.NewSqliteFile();
        try
        {
            var (exit, output) = await RunServerAsync([], new()
            {
                ["ConnectionStrings__Lantern"] = $"Data Source={file}",
                ["Lantern__DemoMode"] = "true",
                ["ASPNETCORE_ENVIRONMENT"] = "Production",
                ["ASPNETCORE_URLS"] = "http://127.0.0.1:0",
            });

            Assert.NotEqual(0, exit);
            Assert.Contains("refused in production", output, StringComparison.Ordinal);
            await using var db = new LanternSqliteDb(new DbContextOptionsBuilder<LanternSqliteDb>().UseSqlite($"Data Source={file}").Options);
            Assert.Equal(0, await db.Users.CountAsync(TestContext.Current.CancellationToken));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Unknown_command_fails_with_usage()
    {
        var (exit, output) = await RunServerAsync(["frobnicate"], new() { ["ConnectionStrings__Lantern"] = $"Data Source={LanternApp.NewSqliteFile()}" });

        Assert.Equal(2, exit);
        Assert.Contains("Commands: migrate", output, StringComparison.Ordinal);
    }

    private static async Task<(int Exit, string Output)> RunServerAsync(string[] args, Dictionary<string, string> environment)
    {
        var server = Path.Combine(AppContext.BaseDirectory, "Lantern.Server.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = AppContext.BaseDirectory };
        start.ArgumentList.Add(server);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        return (process.ExitCode, await stdout + await stderr);
    }
}
