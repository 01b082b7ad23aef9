using Lantern.Server.Audit;
using Lantern.Server.Patients.Synthetic;
using Lantern.Server.Platform.Storage;

namespace Lantern.Server.Platform.Commands;

/// <summary>
/// The server's command line. With no command it migrates, seeds (demo mode) and serves.
/// `migrate` applies database migrations and exits, for deployments that migrate before rolling out.
/// `generate-patients N` bulk-loads N synthetic patients (demo mode only) for benchmarks.
/// `verify-audit` walks the audit hash chain: exit 0 when intact, 1 naming the first bad entry.
/// `register-system ID SCOPE...` registers an integration for OAuth client credentials and prints its secret.
/// `register-app ID REDIRECT-URI SCOPE...` registers a SMART app staff may launch (public client, PKCE).
/// `import synthea DIR` posts Synthea bundles to a running server as FHIR transactions (resumable).
/// </summary>
public static class LanternCommands
{
    public static async Task<int> RunAsync(WebApplication app, string[] args)
    {
        var command = args.FirstOrDefault(a => !a.StartsWith('-') && !a.Contains('='));
        switch (command)
        {
            case null:
                await DatabaseStartup.MigrateAsync(app.Services);
                await DatabaseStartup.SeedDemoTrustIfEnabledAsync(app.Services);
                await app.RunAsync();
                return 0;
            case "migrate":
                await DatabaseStartup.MigrateAsync(app.Services);
                return 0;
            case "verify-audit":
                return await VerifyAuditAsync(app.Services);
            case "generate-patients":
                var count = args.SkipWhile(a => a != command).Skip(1).FirstOrDefault();
                if (!int.TryParse(count, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) || n < 1)
                {
                    await Console.Error.WriteLineAsync("Usage: generate-patients <count>, for example generate-patients 100000");
                    return 2;
                }
                await DatabaseStartup.MigrateAsync(app.Services);
                return await GeneratePatientsCommand.RunAsync(app.Services, n, Console.Out);
            case "import":
                // A client of a running server: it needs no database of its own.
                return await Interop.Fhir.Import.SyntheaImport.RunAsync([.. args.SkipWhile(a => a != command).Skip(1)], Console.Out, Console.Error);
            case "register-system":
                await DatabaseStartup.MigrateAsync(app.Services);
                return await Security.OAuth.RegisterClientCommands.SystemAsync(app.Services, [.. args.SkipWhile(a => a != command).Skip(1)], Console.Out, Console.Error);
            case "register-app":
                await DatabaseStartup.MigrateAsync(app.Services);
                return await Security.OAuth.RegisterClientCommands.AppAsync(app.Services, [.. args.SkipWhile(a => a != command).Skip(1)], Console.Out, Console.Error);
            default:
                await Console.Error.WriteLineAsync($"Unknown command '{command}'. Commands: migrate, verify-audit, generate-patients <count>, register-system <client-id> <scope>..., register-app <client-id> <redirect-uri> <scope>..., import synthea <folder>. With no command the server starts.");
                return 2;
        }
    }

    private static async Task<int> VerifyAuditAsync(IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<AuditVerifier>().VerifyAsync();
        await Console.Out.WriteLineAsync(result.Intact ? $"Audit trail intact: {result.Message}" : $"AUDIT TRAIL BROKEN at entry {result.FirstBadSequence}: {result.Message}");
        return result.Intact ? 0 : 1;
    }
}
