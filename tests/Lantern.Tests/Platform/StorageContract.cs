using System.Net;
using Lantern.Server.Demo;
using Lantern.Server.Organisation;
using Lantern.Server.Platform.Identity;
using Lantern.Server.Platform.Storage;
using Lantern.Tests.Support;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Lantern.Tests.Platform;

/// <summary>
/// What the platform promises on every database engine: the schema migrates from empty, the demo
/// trust seeds once, staff can sign in, and data survives a restart. Run once per engine.
/// </summary>
public abstract class StorageContract(StorageProvider provider)
{
    private LanternApp NewApp() => LanternApp.On(provider);

    [Fact]
    public async Task Empty_database_is_migrated_and_seeded_with_a_demo_trust()
    {
        await using var app = LanternApp.Empty(provider);

        var (wards, bedsPerWard, clinics, consultants, teams, specialties) = await app.WithDbAsync(async db => (
            await db.Wards.CountAsync(),
            await db.Wards.Select(w => w.Beds.Count).ToListAsync(),
            await db.Clinics.CountAsync(),
            await db.Consultants.CountAsync(),
            await db.ClinicalTeams.CountAsync(),
            await db.Specialties.CountAsync()));

        Assert.True(wards >= 6, $"{wards} wards");
        Assert.All(bedsPerWard, beds => Assert.True(beds > 0));
        Assert.True(clinics > 0 && consultants > 0 && teams > 0 && specialties > 0);
        Assert.Equal(provider == StorageProvider.Postgres ? "Npgsql.EntityFrameworkCore.PostgreSQL" : "Microsoft.EntityFrameworkCore.Sqlite",
            await app.WithDbAsync(db => Task.FromResult(db.Database.ProviderName)));
    }

    /// <summary>SQLite keeps compiled statements within a transaction (SqliteStatementCache): run again, they must take their new values.</summary>
    [Fact]
    public async Task A_statement_run_again_in_one_transaction_takes_its_new_values_even_while_its_last_results_are_open()
    {
        await using var app = NewApp();
        var mrns = await app.WithDbAsync(db => db.Patients.OrderBy(p => p.Mrn).Select(p => p.Mrn).Take(3).ToListAsync());
        var before = await app.WithDbAsync(db => db.Patients.Where(p => mrns.Contains(p.Mrn)).OrderBy(p => p.Mrn).Select(p => p.Title).ToListAsync());
        var (found, nested, titles) = await app.WithDbAsync(async db =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            var found = new List<string>();
            foreach (var mrn in mrns)
            {
                found.Add(await db.Patients.Where(p => p.Mrn == mrn).Select(p => p.Mrn).SingleAsync());
            }
            // SQLite: the same query inside the reading of its own results (the kept statement is busy, so a fresh one
            // runs). PostgreSQL does not run a second command while a reader is open on the connection.
            var query = db.Patients.Where(p => mrns.Contains(p.Mrn)).OrderBy(p => p.Mrn).Select(p => p.Mrn);
            var nested = new List<int>();
            if (provider == StorageProvider.Sqlite)
            {
                await query.ToListAsync();
                await foreach (var _ in query.AsAsyncEnumerable())
                {
                    nested.Add((await query.ToListAsync()).Count);
                }
            }
            foreach (var (mrn, title) in mrns.Zip(["Dr", "Prof", "Rev"]))
            {
                await db.Patients.Where(p => p.Mrn == mrn).ExecuteUpdateAsync(u => u.SetProperty(p => p.Title, title));
            }
            var titles = await db.Patients.Where(p => mrns.Contains(p.Mrn)).OrderBy(p => p.Mrn).Select(p => p.Title).ToListAsync();
            await transaction.RollbackAsync();
            return (found, nested, titles);
        });
        Assert.Equal(mrns, found);
        Assert.Equal(provider == StorageProvider.Sqlite ? [3, 3, 3] : [], nested);
        Assert.Equal(["Dr", "Prof", "Rev"], titles);
        Assert.Equal(before, await app.WithDbAsync(db => db.Patients.Where(p => mrns.Contains(p.Mrn)).OrderBy(p => p.Mrn).Select(p => p.Title).ToListAsync()));
    }

    [Fact]
    public async Task Every_role_has_a_demo_account()
    {
        await using var app = NewApp();
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();

        foreach (var role in StaffRole.All)
        {
            Assert.NotEmpty(await users.GetUsersInRoleAsync(role.Name));
        }
    }

    [Fact]
    public async Task Staff_sign_in_over_http()
    {
        await using var app = NewApp();
        using var nurse = await StaffBrowser.SignedInAsync(app, "nurse");

        var ready = await nurse.Http.GetAsync("/health/ready");
        var home = await nurse.GetPageAsync("/");

        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Contains("Sarah Jones", home.QuerySelector("h1")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Restart_keeps_data_and_sessions_and_does_not_seed_twice()
    {
        var first = LanternApp.Empty(provider);
        var sessionCookie = await SessionCookieAsync(first);
        await first.WithDbAsync(async db =>
        {
            (await WardSevenBedD4(db).FirstAsync()).Close();
            return await db.SaveChangesAsync();
        });
        var wardsBefore = await first.WithDbAsync(db => db.Wards.CountAsync());
        var second = first.Restart();
        await first.DisposeAsync();

        await using (second)
        {
            using var http = second.NewBrowserlessClient();
            http.DefaultRequestHeaders.Add("Cookie", sessionCookie);

            Assert.Equal(wardsBefore, await second.WithDbAsync(db => db.Wards.CountAsync()));
            Assert.Equal(BedStatus.Closed, await second.WithDbAsync(db => WardSevenBedD4(db).Select(b => b.Status).FirstAsync()));
            Assert.Equal(DemoAccounts.All.Count, await second.WithDbAsync(db => db.Users.CountAsync()));
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/")).StatusCode);
        }
    }

    [Fact]
    public async Task Seeding_is_all_or_nothing()
    {
        await using var app = NewApp();
        await app.WithDbAsync(async db =>
        {
            db.ExpectedAdmissions.RemoveRange(db.ExpectedAdmissions);
            db.Spells.RemoveRange(db.Spells);
            db.Patients.RemoveRange(db.Patients);
            db.Clinics.RemoveRange(db.Clinics);
            db.ClinicalTeams.RemoveRange(db.ClinicalTeams);
            db.Consultants.RemoveRange(db.Consultants);
            db.Wards.RemoveRange(db.Wards);
            db.Sites.RemoveRange(db.Sites);
            db.Specialties.RemoveRange(db.Specialties);
            return await db.SaveChangesAsync();
        });

        // The trust structure saves first; the staff accounts that follow already exist, so the seed
        // fails part-way and must take the wards it had saved down with it.
        await using var scope = app.Services.CreateAsyncScope();
        var seeder = scope.ServiceProvider.GetRequiredService<DemoTrustSeeder>();
        await Assert.ThrowsAsync<InvalidOperationException>(() => seeder.SeedIfEmptyAsync(TestContext.Current.CancellationToken));

        Assert.Equal(0, await app.WithDbAsync(db => db.Wards.CountAsync()));
    }

    private static IQueryable<Bed> WardSevenBedD4(LanternDb db) =>
        db.Wards.Where(w => w.Code == "W07").SelectMany(w => w.Beds).Where(b => b.Label == "D4"); // empty in the demo trust

    private static async Task<string> SessionCookieAsync(LanternApp app)
    {
        using var browser = new StaffBrowser(app.NewBrowserlessClient());
        var response = await browser.SignInAsync("nurse", DemoAccounts.Password);
        var setCookie = response.Headers.GetValues("Set-Cookie").First(c => c.StartsWith("Lantern.Session=", StringComparison.Ordinal));
        return setCookie.Split(';')[0];
    }
}

public sealed class SqliteStorageTests() : StorageContract(StorageProvider.Sqlite)
{
    /// <summary>
    /// SqliteCheckpointer copies what the writer commits from the write-ahead log into the database file itself, beside
    /// the writer: one change, far below the writer's own checkpoint threshold, is found in a copy of the file alone.
    /// </summary>
    [Fact]
    public async Task A_committed_change_is_copied_into_the_database_file_without_the_writer_stopping_for_it()
    {
        await using var app = LanternApp.Sqlite();
        var mrn = await app.WithDbAsync(db => db.Patients.OrderBy(p => p.Mrn).Select(p => p.Mrn).FirstAsync());
        var title = $"T{Guid.NewGuid():N}"[..12];
        await app.WithDbAsync(db => db.Patients.Where(p => p.Mrn == mrn).ExecuteUpdateAsync(u => u.SetProperty(p => p.Title, title)));

        var file = new SqliteConnectionStringBuilder(app.ConnectionString).DataSource;
        var copy = LanternApp.NewSqliteFile();
        string? found = null;
        try
        {
            for (var tries = 0; tries < 100 && found != title; tries++)
            {
                await Task.Delay(100);
                found = await TitleInFileAloneAsync(file, copy, mrn);
            }
        }
        finally
        {
            await LanternApp.DeleteDatabaseAsync(StorageProvider.Sqlite, $"Data Source={copy}");
        }
        Assert.Equal(title, found);
    }

    /// <summary>The patient's title as the database file holds it, read from a copy of the file without its log; null while the copy is torn by a checkpoint under way.</summary>
    private static async Task<string?> TitleInFileAloneAsync(string file, string copy, string mrn)
    {
        foreach (var stale in new[] { copy, copy + "-wal", copy + "-shm" })
        {
            File.Delete(stale);
        }
        File.Copy(file, copy);
        try
        {
            await using var db = new SqliteConnection($"Data Source={copy};Pooling=False");
            await db.OpenAsync();
            await using var command = db.CreateCommand();
            command.CommandText = "SELECT \"Title\" FROM \"Patients\" WHERE \"Mrn\" = $mrn";
            command.Parameters.AddWithValue("$mrn", mrn);
            return await command.ExecuteScalarAsync() as string;
        }
        catch (SqliteException)
        {
            return null;
        }
    }
}

public sealed class PostgresStorageTests() : StorageContract(StorageProvider.Postgres);
