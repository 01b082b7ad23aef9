using System.Diagnostics;

namespace Lantern.Server.Platform.Logging;

/// <summary>
/// One structured log line per request. It logs the route template (/patients/{id}), never the raw
/// path or query string, so patient identifiers typed into URLs cannot reach the logs.
/// </summary>
public sealed partial class RequestLogging(RequestDelegate next, ILogger<RequestLogging> log)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await next(context);
        }
        finally
        {
            var template = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText;
            var route = template is null ? "(no route)" : "/" + template.TrimStart('/');
            var level = context.Response.StatusCode >= 500 ? LogLevel.Error : LogLevel.Information;
            var elapsedMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            Completed(log, level, context.Request.Method, route, context.Response.StatusCode, elapsedMs);
        }
    }

    [LoggerMessage(EventId = 1000, Message = "HTTP {Method} {Route} responded {StatusCode} in {ElapsedMs:0.0} ms")]
    private static partial void Completed(ILogger log, LogLevel level, string method, string route, int statusCode, double elapsedMs);
}
