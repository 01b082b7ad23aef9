using System.Collections.Concurrent;
using Lantern.Tests.Support;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Lantern.Tests.Platform;

public sealed class RequestLoggingTests
{
    [Fact]
    public async Task Request_log_names_the_route_template_not_the_identifiers_in_the_url()
    {
        var lines = new ConcurrentQueue<string>();
        await using var app = LanternApp.Sqlite();
        await using var logged = app.WithWebHostBuilder(b => b.ConfigureTestServices(s =>
            s.AddSingleton<ILoggerProvider>(new CapturingLoggerProvider(lines))));
        using var nurse = new Support.StaffBrowser(logged.CreateClient(new() { AllowAutoRedirect = false }));
        await nurse.SignInAsync("nurse", Lantern.Server.Demo.DemoAccounts.Password);

        await nurse.GetPageAsync("/trust/wards/W07?search=9434765919");

        var line = Assert.Single(lines, l => l.Contains("trust/wards/{code}", StringComparison.Ordinal));
        Assert.Contains("responded 200", line, StringComparison.Ordinal);
        Assert.DoesNotContain(lines, l => l.Contains("W07", StringComparison.Ordinal) || l.Contains("9434765919", StringComparison.Ordinal));
    }

    private sealed class CapturingLoggerProvider(ConcurrentQueue<string> lines) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Capturing(lines);
        public void Dispose() { }

        private sealed class Capturing(ConcurrentQueue<string> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
            public bool IsEnabled(LogLevel logLevel) => true;
            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                lines.Enqueue(formatter(state, exception));
        }
    }
}
