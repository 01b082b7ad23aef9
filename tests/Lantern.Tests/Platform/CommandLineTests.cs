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

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Generate_patients_loads_valid_synthetic_patients_only_in_demo_mode(bool demoMode)
    {
        var file = LanternApp.NewSqliteFile();
        try
        {
            var (exit, output) = await RunServerAsync(["generate-patients", "2000"], new()
            {
                ["ConnectionStrings__Lantern"] = $"Data Source={file}",
                ["Lantern__DemoMode"] = demoMode ? "true" : "false",
                ["ASPNETCORE_ENVIRONMENT"] = "Development",
            });

            await using var db = new LanternSqliteDb(new DbContextOptionsBuilder<LanternSqliteDb>().UseSqlite($"Data Source={file}").Options);
            var patients = await db.Patients.AsNoTracking().ToListAsync(TestContext.Current.CancellationToken);
            if (!demoMode)
            {
                Assert.Equal(2, exit);
                Assert.Contains("demo and benchmark databases only", output, StringComparison.Ordinal);
                Assert.Empty(patients);
                return;
            }
            Assert.True(exit == 0, output);
            Assert.Equal(2000, patients.Count);
            Assert.All(patients, p => Assert.True(p.NhsNumber is null || (p.NhsNumber.StartsWith("999", StringComparison.Ordinal) && Lantern.Server.Patients.NhsNumber.IsValid(p.NhsNumber))));
            Assert.Equal(2000, patients.Select(p => p.Mrn).Distinct().Count());
            Assert.All(patients, p => Assert.Equal(Lantern.Server.Patients.NameKeys.Soundex(p.FamilyName), p.FamilyNameSound));
            var previous = patients.SelectMany(p => p.PreviousNames).ToList(); // loaded into their own table too
            Assert.InRange(previous.Count, 50, 600);
            Assert.All(previous, n => Assert.Equal(Lantern.Server.Patients.NameKeys.Key(n.FamilyName), n.FamilyNameKey));
            Assert.Single(await db.AuditEntries.Where(e => e.Reason!.StartsWith("generate-patients")).ToListAsync(TestContext.Current.CancellationToken));
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

    [Fact]
    public async Task Server_starts_on_a_fresh_database_and_stops_gracefully_on_sigterm()
    {
        var file = LanternApp.NewSqliteFile();
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var listening = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var start = ServerStartInfo([], new()
        {
            ["ConnectionStrings__Lantern"] = $"Data Source={file}",
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["ASPNETCORE_URLS"] = "http://127.0.0.1:0",
        });
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }
            output.Enqueue(e.Data);
            var match = System.Text.RegularExpressions.Regex.Match(e.Data, "Now listening on: (http://127.0.0.1:[0-9]+)");
            if (match.Success)
            {
                listening.TrySetResult(match.Groups[1].Value);
            }
        };
        process.Start();
        process.BeginOutputReadLine();
        try
        {
            var address = await listening.Task.WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
            using var http = new HttpClient { BaseAddress = new Uri(address) };
            Assert.Equal(System.Net.HttpStatusCode.OK, (await http.GetAsync("/health/ready")).StatusCode);
            Assert.Equal(System.Net.HttpStatusCode.OK, (await http.GetAsync("/login")).StatusCode);

            using (var term = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await term.WaitForExitAsync(TestContext.Current.CancellationToken);
            }
            await process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);

            Assert.Equal(0, process.ExitCode);
            Assert.Contains(output, line => line.Contains("Application is shutting down", StringComparison.Ordinal));
            Assert.All(output, line => Assert.StartsWith("{", line, StringComparison.Ordinal)); // every log line is a JSON object

            // The real server hashes staff passwords at full strength (test servers in this process hash cheaply):
            // ASP.NET Core Identity's v3 format, a marker byte, the PRF, then PBKDF2's round count, big-endian.
            await using var db = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={file}");
            await db.OpenAsync(TestContext.Current.CancellationToken);
            await using var read = db.CreateCommand();
            read.CommandText = "SELECT PasswordHash FROM AspNetUsers WHERE UserName = 'nurse'";
            var hash = Convert.FromBase64String((string)(await read.ExecuteScalarAsync(TestContext.Current.CancellationToken))!);
            Assert.Equal(0x01, hash[0]);
            Assert.True(System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(hash.AsSpan(5)) >= 100_000, "PBKDF2 rounds below 100,000");
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            File.Delete(file);
        }
    }

    private static ProcessStartInfo ServerStartInfo(string[] args, Dictionary<string, string> environment)
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
        return start;
    }

    private static async Task<(int Exit, string Output)> RunServerAsync(string[] args, Dictionary<string, string> environment)
    {
        using var process = Process.Start(ServerStartInfo(args, environment))!;
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
