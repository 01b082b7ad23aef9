using System.Diagnostics;
using System.IO.Compression;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Lantern.Server.Interop.Fhir.Import;

public sealed record ImportSummary(int Bundles, int Imported, int Skipped, int Failed, long Resources, double Seconds);

/// <summary>
/// `import synthea DIR`: posts every Synthea bundle in DIR (.json or .json.gz) to a running Lantern as a FHIR
/// transaction, as a registered system would. Shows progress, then a summary (resources per second, each
/// failure with the server's reason). Resumable: bundles already imported are listed in DIR/.lantern-imported
/// and skipped next time, so a run stopped part-way carries on where it stopped.
/// </summary>
public static class SyntheaImport
{
    public const string DoneFile = ".lantern-imported";

    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter errors)
    {
        string? Option(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
        var positional = args.Where((a, i) => !a.StartsWith("--", StringComparison.Ordinal) && (i == 0 || !args[i - 1].StartsWith("--", StringComparison.Ordinal))).ToList();
        if (positional.Count != 2 || positional[0] != "synthea" || !Directory.Exists(positional[1]))
        {
            await errors.WriteLineAsync("Usage: import synthea <folder> [--server http://127.0.0.1:5080] [--client-id lantern-demo-integration] [--client-secret …] [--parallel 2]");
            return 2;
        }
        using var http = new HttpClient { BaseAddress = new Uri(Option("--server") ?? "http://127.0.0.1:5080"), Timeout = TimeSpan.FromMinutes(10) };
        var token = await TokenAsync(http, Option("--client-id") ?? Security.OAuth.DemoIntegrationClients.IntegrationClientId,
            Option("--client-secret") ?? Security.OAuth.DemoIntegrationClients.Secret, errors);
        if (token is null)
        {
            return 1;
        }
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var parallel = int.TryParse(Option("--parallel"), out var n) && n > 0 ? n : 2;
        var summary = await ImportAsync(http, positional[1], output, parallel);
        return summary.Failed == 0 ? 0 : 1;
    }

    /// <summary>An access token for a registered system (client credentials, system/*.cruds); null, with the reason written, if refused.</summary>
    public static async Task<string?> TokenAsync(HttpClient http, string clientId, string secret, TextWriter errors)
    {
        using var response = await http.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = clientId, ["client_secret"] = secret, ["scope"] = "system/*.cruds",
        }));
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            await errors.WriteLineAsync($"No access token for {clientId}: {(int)response.StatusCode} {body}");
            return null;
        }
        return JsonNode.Parse(body)!["access_token"]!.GetValue<string>();
    }

    /// <summary>
    /// Posts each bundle not yet imported, <paramref name="parallel"/> at a time (the server parses and validates
    /// bundles side by side; each is still its own transaction); <paramref name="http"/> carries the access token.
    /// </summary>
    public static async Task<ImportSummary> ImportAsync(HttpClient http, string folder, TextWriter output, int parallel = 1)
    {
        var files = BundleFiles(folder);
        var donePath = Path.Combine(folder, DoneFile);
        var done = File.Exists(donePath) ? File.ReadAllLines(donePath).ToHashSet(StringComparer.Ordinal) : [];
        var clock = Stopwatch.StartNew();
        var (imported, failed, resources, finished) = (0, 0, 0L, 0);
        var skipped = files.Count(f => done.Contains(Path.GetFileName(f)));
        var failures = new List<string>();
        var gate = new SemaphoreSlim(1, 1);
        await Parallel.ForEachAsync(files.Where(f => !done.Contains(Path.GetFileName(f))), new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, parallel) }, async (file, cancel) =>
        {
            var name = Path.GetFileName(file);
            var json = await ReadAsync(file);
            using var response = await http.PostAsync("/fhir", new StringContent(json, Encoding.UTF8, FhirFormat.JsonType), cancel);
            var body = await response.Content.ReadAsStringAsync(cancel);
            await gate.WaitAsync(cancel);
            try
            {
                if (response.IsSuccessStatusCode)
                {
                    imported++;
                    resources += JsonNode.Parse(body)?["entry"]?.AsArray().Count ?? 0;
                    await File.AppendAllLinesAsync(donePath, [name], cancel);
                }
                else
                {
                    failed++;
                    failures.Add($"{name}: {(int)response.StatusCode} {Reason(body)}");
                }
                finished++;
                var rate = resources / Math.Max(clock.Elapsed.TotalSeconds, 0.001);
                var bar = new string('#', (skipped + finished) * 30 / files.Count).PadRight(30, '.');
                await output.WriteAsync($"\r[{bar}] {skipped + finished}/{files.Count} bundles, {resources:N0} resources, {rate:N0}/s, {failed} failed   ");
            }
            finally
            {
                gate.Release();
            }
        });
        await output.WriteLineAsync();
        var seconds = clock.Elapsed.TotalSeconds;
        await output.WriteLineAsync($"Imported {imported} bundle(s) ({resources:N0} resources) in {seconds:0.0} s: {resources / Math.Max(seconds, 0.001):N0} resources/s; " +
            $"{skipped} already imported; {failed} failed.");
        foreach (var failure in failures.Order(StringComparer.Ordinal))
        {
            await output.WriteLineAsync("  " + failure);
        }
        return new ImportSummary(files.Count, imported, skipped, failed, resources, seconds);
    }

    /// <summary>The Synthea bundles in a folder (.json or .json.gz), in name order.</summary>
    public static IReadOnlyList<string> BundleFiles(string folder) =>
        [.. Directory.GetFiles(folder).Where(f => f.EndsWith(".json", StringComparison.Ordinal) || f.EndsWith(".json.gz", StringComparison.Ordinal)).Order(StringComparer.Ordinal)];

    /// <summary>A bundle file's text, unzipped when it is .gz.</summary>
    public static async Task<string> ReadAsync(string file)
    {
        await using var stream = File.OpenRead(file);
        await using var gzip = file.EndsWith(".gz", StringComparison.Ordinal) ? new GZipStream(stream, CompressionMode.Decompress) : null;
        using var reader = new StreamReader((Stream?)gzip ?? stream);
        return await reader.ReadToEndAsync();
    }

    private static string Reason(string body)
    {
        try
        {
            var issues = JsonNode.Parse(body)?["issue"]?.AsArray();
            return issues is null ? body : string.Join("; ", issues.Where(i => i?["severity"]?.GetValue<string>() is "error" or "fatal")
                .Select(i => $"{string.Join(",", i?["expression"]?.AsArray().Select(e => e?.GetValue<string>()) ?? [])}: {i?["diagnostics"]?.GetValue<string>() ?? i?["details"]?["text"]?.GetValue<string>()}"));
        }
        catch (JsonException)
        {
            return body.Length > 300 ? body[..300] : body;
        }
    }
}
