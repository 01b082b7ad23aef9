using System.Net;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;

namespace Lantern.Tests.Support;

/// <summary>
/// A member of staff using the pages over HTTP the way a browser does: cookies kept, forms posted
/// with their antiforgery token, redirects visible to the test.
/// </summary>
public sealed class StaffBrowser(HttpClient http) : IDisposable
{
    private static readonly HtmlParser Parser = new();

    public HttpClient Http => http;

    public static async Task<StaffBrowser> SignedInAsync(LanternApp app, string username, string? password = null)
    {
        var browser = new StaffBrowser(app.NewBrowserlessClient());
        var response = await browser.SignInAsync(username, password ?? Lantern.Server.Demo.DemoAccounts.Password);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.Headers.Location?.OriginalString);
        return browser;
    }

    public Task<HttpResponseMessage> SignInAsync(string username, string password) =>
        PostFormAsync("/login", new() { ["Username"] = username, ["Password"] = password });

    public async Task<IHtmlDocument> GetPageAsync(string path, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var response = await http.GetAsync(path);
        Assert.Equal(expected, response.StatusCode);
        return Parser.ParseDocument(await response.Content.ReadAsStringAsync());
    }

    /// <summary>Loads the page at <paramref name="path"/>, then posts the given fields with the page's antiforgery token.</summary>
    public async Task<HttpResponseMessage> PostFormAsync(string path, Dictionary<string, string> fields, string? handler = null)
    {
        var page = await GetPageAsync(path);
        var token = page.QuerySelector("input[name=__RequestVerificationToken]")?.GetAttribute("value")
            ?? throw new InvalidOperationException($"No antiforgery token on {path}");
        return await PostAsync(handler is null ? path : $"{path}?handler={handler}", fields, token);
    }

    public async Task<HttpResponseMessage> PostAsync(string target, Dictionary<string, string> fields, string token)
    {
        var body = new Dictionary<string, string>(fields) { ["__RequestVerificationToken"] = token };
        return await http.PostAsync(target, new FormUrlEncodedContent(body));
    }

    public static IHtmlDocument Parse(string html) => Parser.ParseDocument(html);

    public static async Task<IHtmlDocument> ParseAsync(HttpResponseMessage response) =>
        Parser.ParseDocument(await response.Content.ReadAsStringAsync());

    /// <summary>The links in the NHS error summary, as (target field, message).</summary>
    public static IReadOnlyList<(string Field, string Message)> ErrorSummary(IHtmlDocument page) =>
        [.. page.QuerySelectorAll(".nhsuk-error-summary__list a")
            .Select(a => ((a.GetAttribute("href") ?? "").TrimStart('#'), a.TextContent.Trim()))];

    public void Dispose() => http.Dispose();
}
