using System.Net.Http.Json;
using System.Net;
using System.Text.Json;
using Lantern.Server.Audit;
using Lantern.Server.Platform.Messaging;
using Lantern.Server.Platform.Storage;
using Lantern.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Lantern.Tests.Security;

/// <summary>The audit trail's promises on each database engine: gapless, chained, and tampering is found and named.</summary>
public abstract class AuditTrailContract(StorageProvider provider)
{
    [Fact]
    public async Task Concurrent_requests_append_a_gapless_chain_that_verifies()
    {
        await using var app = LanternApp.On(provider);
        using var nurse = await StaffBrowser.SignedInAsync(app, "nurse");
        var smith = await PatientIdAsync(app, "Smith");

        using var clerk = await StaffBrowser.SignedInAsync(app, "clerk");

        // Reads (whose entries share commits) interleaved with registrations (entries saved with the change).
        var reads = Enumerable.Range(0, 20).Select(_ => nurse.Http.GetAsync($"/patients/{smith}"));
        var writes = Enumerable.Range(0, 6).Select(i => clerk.Http.PostAsJsonAsync("/api/patients", new
        {
            details = new { familyName = $"Chainer{(char)('a' + i)}", givenName = "Ann", birthDate = "1970-01-0" + (i + 1), gender = "female" },
            acceptPossibleDuplicates = true,
        }));
        var responses = await Task.WhenAll(reads.Concat(writes));
        Assert.All(responses, r => Assert.True(r.IsSuccessStatusCode, $"{(int)r.StatusCode}"));

        var sequences = await app.WithDbAsync(db => db.AuditEntries.OrderBy(e => e.Sequence).Select(e => e.Sequence).ToListAsync());
        Assert.True(sequences.Count >= 28, $"{sequences.Count} entries"); // 2 sign-ins + 20 reads + 6 registrations
        Assert.Equal(20, await app.WithDbAsync(db => db.AuditEntries.CountAsync(e => e.UserName == "nurse" && e.PatientId == smith && e.Action == Lantern.Server.Audit.AuditAction.Read)));
        Assert.Equal(Enumerable.Range(1, sequences.Count).Select(i => (long)i), sequences);
        Assert.True((await VerifyAsync(app)).Intact);
    }

    [Fact]
    public async Task Outbox_events_are_numbered_in_the_order_their_transactions_commit()
    {
        await using var app = LanternApp.On(provider);
        _ = app.Server;
        var committed = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var firstAppended = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var secondCommitted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        async Task CommitAsync(string name, Func<Task> beforeCommit)
        {
            await using var scope = app.Services.CreateAsyncScope();
            var trail = scope.ServiceProvider.GetRequiredService<AuditTrail>();
            var now = DateTime.UtcNow;
            await trail.SaveInTransactionAsync(async _ =>
            {
                trail.AppendInCommitOrder(new OutboxMessage("A01", null, now, now, "{}", name));
                await beforeCommit();
                return (true, (IReadOnlyList<AuditEvent>)[new AuditEvent(AuditAction.Create, "Test", name, UserName: "test")]);
            });
            committed.Enqueue(name);
        }

        // The first transaction has its event before the second starts, and stays open until the second has committed:
        // on PostgreSQL transactions run side by side, so the second commits first. (On SQLite, one writer at a time,
        // the second waits for the first, which goes on after a second.) The outbox's sender goes on from the last id
        // it sent: an event numbered before one that committed earlier would never be sent.
        var first = CommitAsync("first", async () =>
        {
            firstAppended.SetResult();
            await Task.WhenAny(secondCommitted.Task, Task.Delay(TimeSpan.FromSeconds(1)));
        });
        await firstAppended.Task;
        var second = CommitAsync("second", () => Task.CompletedTask).ContinueWith(_ => secondCommitted.SetResult(), TaskScheduler.Default);
        await Task.WhenAll(first, second);

        var numbered = await app.WithDbAsync(db => db.Outbox.Where(o => o.RecordedBy == "first" || o.RecordedBy == "second").OrderBy(o => o.Id).Select(o => o.RecordedBy).ToListAsync());
        Assert.Equal(committed, numbered);
        Assert.True((await VerifyAsync(app)).Intact);
    }

    [Fact]
    public async Task Editing_one_row_in_the_database_is_detected_and_named()
    {
        await using var app = await AppWithEntriesAsync();
        await Sql(app, $"UPDATE \"AuditTrail\" SET \"Reason\" = 'nothing to see' WHERE \"Sequence\" = {3}");

        var result = await VerifyAsync(app);

        Assert.False(result.Intact);
        Assert.Equal(3, result.FirstBadSequence);
        Assert.Equal(2, result.EntriesChecked);
        Assert.Contains("Entry 3", result.Message, StringComparison.Ordinal);
    }

    /// <summary>The application itself refuses to change or remove an entry, whether a property is edited or the entry removed.</summary>
    [Fact]
    public async Task The_application_cannot_save_an_edited_or_removed_entry()
    {
        await using var app = await AppWithEntriesAsync();

        var edited = await app.WithDbAsync(async db =>
        {
            var entry = await db.AuditEntries.OrderBy(e => e.Sequence).FirstAsync();
            entry.Hash = new byte[entry.Hash.Length]; // a plain property edit: only change detection finds it
            return await Record.ExceptionAsync(() => db.SaveChangesAsync());
        });
        var removed = await app.WithDbAsync(async db =>
        {
            db.AuditEntries.Remove(await db.AuditEntries.OrderBy(e => e.Sequence).FirstAsync());
            return Record.Exception(() => db.SaveChanges());
        });

        Assert.IsType<InvalidOperationException>(edited);
        Assert.IsType<InvalidOperationException>(removed);
        Assert.True((await VerifyAsync(app)).Intact);
        Assert.Equal(await app.WithDbAsync(db => db.AuditEntries.LongCountAsync()), (await VerifyAsync(app)).EntriesChecked);
    }

    [Fact]
    public async Task Deleting_one_row_is_detected_and_named()
    {
        await using var app = await AppWithEntriesAsync();
        await Sql(app, $"DELETE FROM \"AuditTrail\" WHERE \"Sequence\" = {2}");

        var result = await VerifyAsync(app);

        Assert.False(result.Intact);
        Assert.Equal(2, result.FirstBadSequence);
        Assert.Contains("Entry 2 is missing", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deleting_the_newest_entry_and_moving_hashes_about_are_detected()
    {
        await using var app = await AppWithEntriesAsync();
        var last = await app.WithDbAsync(db => db.AuditEntries.MaxAsync(e => e.Sequence));
        await Sql(app, $"DELETE FROM \"AuditTrail\" WHERE \"Sequence\" = {last}");
        var headResult = await VerifyAsync(app);
        Assert.False(headResult.Intact);
        Assert.Equal(last, headResult.FirstBadSequence);

        // Copy entry 2's hash onto entry 4: as if entries were moved about with their hashes.
        await Sql(app, $"UPDATE \"AuditTrail\" SET \"Hash\" = (SELECT \"Hash\" FROM \"AuditTrail\" WHERE \"Sequence\" = {2}) WHERE \"Sequence\" = {4}");
        var result = await VerifyAsync(app);
        Assert.False(result.Intact);
        Assert.Equal(4, result.FirstBadSequence);
    }

    [Fact]
    public async Task The_IG_auditor_can_verify_over_the_API_and_a_broken_chain_answers_409()
    {
        await using var app = await AppWithEntriesAsync();
        using var ig = await StaffBrowser.SignedInAsync(app, "igauditor");
        var ok = await ig.Http.GetAsync("/api/audit/verify");
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);

        await Sql(app, $"UPDATE \"AuditTrail\" SET \"UserName\" = 'someone' WHERE \"Sequence\" = {1}");
        var broken = await ig.Http.GetAsync("/api/audit/verify");

        Assert.Equal(HttpStatusCode.Conflict, broken.StatusCode);
        using var json = JsonDocument.Parse(await broken.Content.ReadAsStringAsync());
        Assert.Equal(1, json.RootElement.GetProperty("firstBadSequence").GetInt64());
    }

    private async Task<LanternApp> AppWithEntriesAsync()
    {
        var app = LanternApp.On(provider);
        using var nurse = await StaffBrowser.SignedInAsync(app, "nurse");
        var smith = await PatientIdAsync(app, "Smith");
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await nurse.Http.GetAsync($"/patients/{smith}")).StatusCode);
        }
        Assert.True((await VerifyAsync(app)).Intact);
        return app;
    }

    /// <summary>The demo inpatient of that name (inpatients have the lowest MRNs; other demo patients may share the name).</summary>
    internal static Task<Guid> PatientIdAsync(LanternApp app, string familyName) =>
        app.WithDbAsync(db => db.Patients.Where(p => p.FamilyName == familyName).OrderBy(p => p.Mrn).Select(p => p.Id).FirstAsync());

    private static async Task<AuditVerification> VerifyAsync(LanternApp app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<AuditVerifier>().VerifyAsync();
    }

    /// <summary>Tampering straight in the database, as a rogue administrator might, bypassing the application.</summary>
    private static Task<int> Sql(LanternApp app, FormattableString sql) => app.WithDbAsync(db => db.Database.ExecuteSqlAsync(sql));
}

public sealed class SqliteAuditTrailTests() : AuditTrailContract(StorageProvider.Sqlite);

public sealed class PostgresAuditTrailTests() : AuditTrailContract(StorageProvider.Postgres);
