using System.Runtime.CompilerServices;

namespace Lantern.Tests.Support;

/// <summary>
/// Many Lantern servers run side by side in one test run. Each would hold inotify watches on its configuration
/// files, and Linux allows a user 128 inotify instances in all: past that a server fails to start. Tests never
/// edit configuration files, so the watches are turned off (and any that remain poll instead).
/// </summary>
internal static class TestEnvironment
{
#pragma warning disable CA2255 // a module initializer is the one place that runs before any test builds a host
    [ModuleInitializer]
    internal static void NoFileWatches()
#pragma warning restore CA2255
    {
        Environment.SetEnvironmentVariable("DOTNET_hostBuilder__reloadConfigOnChange", "false");
        Environment.SetEnvironmentVariable("DOTNET_USE_POLLING_FILE_WATCHER", "true");
    }
}
