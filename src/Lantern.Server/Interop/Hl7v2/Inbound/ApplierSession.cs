using Lantern.Server.Platform.Storage;
using Microsoft.EntityFrameworkCore;

namespace Lantern.Server.Interop.Hl7v2.Inbound;

/// <summary>
/// The scope the inbox's applier works in, kept from one batch to the next while messages keep coming (at most
/// <see cref="Lifetime"/>), with its database connection held open. SQLite's compiled statements live only as long
/// as the connection is open (<see cref="SqliteStatementCache"/>): with a scope per batch every statement was compiled
/// again in each batch, 14% of the applier's time in the admit/move/discharge flow (profiled). A new session starts
/// after a fault (whatever the old one's context held is dropped) and once the lifetime is up, so that what a scope
/// remembers (who the staff member is, whether they may see sealed records) is never older than that.
/// </summary>
internal sealed class ApplierSession : IAsyncDisposable
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(1);

    private readonly AsyncServiceScope scope;

    /// <summary>When it started, by the machine's tick count (not the trust's clock, which tests may stop).</summary>
    private readonly long started = Environment.TickCount64;

    private ApplierSession(AsyncServiceScope scope) => this.scope = scope;

    public IServiceProvider Services => scope.ServiceProvider;

    public static async Task<ApplierSession> StartAsync(IServiceScopeFactory scopes)
    {
        var scope = scopes.CreateAsyncScope();
        try
        {
            await scope.ServiceProvider.GetRequiredService<LanternDb>().Database.OpenConnectionAsync();
            return new ApplierSession(scope);
        }
        catch
        {
            await scope.DisposeAsync();
            throw;
        }
    }

    public bool IsOver => Environment.TickCount64 - started >= Lifetime.TotalMilliseconds;

    public async ValueTask DisposeAsync()
    {
        try
        {
            // Closed before the context goes back to the pool: a pooled context must not keep a connection open.
            await scope.ServiceProvider.GetRequiredService<LanternDb>().Database.CloseConnectionAsync();
        }
        catch (System.Data.Common.DbException)
        {
            // A connection the database dropped (the fault that ended the session) cannot be closed cleanly; disposing
            // the scope disposes it. The fault itself is what the caller reports.
        }
        finally
        {
            await scope.DisposeAsync();
        }
    }
}
