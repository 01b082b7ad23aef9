using Lantern.Server.Platform.Storage;

namespace Lantern.Server.Platform.Commands;

/// <summary>
/// The server's command line. With no command it migrates, seeds (demo mode) and serves.
/// `migrate` applies database migrations and exits, for deployments that migrate before rolling out.
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
            default:
                await Console.Error.WriteLineAsync($"Unknown command '{command}'. Commands: migrate. With no command the server starts.");
                return 2;
        }
    }
}
