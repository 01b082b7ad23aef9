using Lantern.Server.Demo;
using Lantern.Server.Platform;
using Lantern.Server.Platform.Commands;
using Lantern.Server.Platform.Health;
using Lantern.Server.Platform.Identity;
using Lantern.Server.Platform.Storage;
using Lantern.Server.Platform.Ui;

var builder = WebApplication.CreateBuilder(args);
builder.AddLanternPlatform();
builder.Services
    .AddLanternStorage(builder.Configuration, builder.Environment.ContentRootPath)
    .AddLanternIdentity(builder.Configuration)
    .AddLanternHealth()
    .AddLanternUi()
    .AddNavigation("Trust directory", "/trust", order: 90)
    .AddScoped<DemoTrustSeeder>();

var app = builder.Build();
app.UseLanternPipeline();
app.MapLanternHealth();
app.MapRazorPages();

return await LanternCommands.RunAsync(app, args);

/// <summary>Entry point; public so the tests' WebApplicationFactory can host it.</summary>
public partial class Program;
