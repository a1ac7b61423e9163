using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;

namespace Cimeika.Web.Tests.Support;

public static partial class Http
{
    /// <summary>GETs a page and returns the antiforgery token of its first form (the cookie stays in the client).</summary>
    public static async Task<string> AntiforgeryTokenAsync(this HttpClient client, string pageUrl)
    {
        var html = await client.GetStringAsync(pageUrl);
        return TokenPattern().Match(html) is { Success: true } m
            ? System.Net.WebUtility.HtmlDecode(m.Groups[1].Value)
            : throw new InvalidOperationException($"No antiforgery token on {pageUrl}");
    }

    /// <summary>Signs the client in through the real sign-in form (the session cookie stays in the client).</summary>
    public static async Task SignInAsync(this HttpClient client, string email, string password)
    {
        var token = await client.AntiforgeryTokenAsync("/signin");
        var response = await client.PostFormAsync("/signin", token, [new("Email", email), new("Password", password)]);
        if (response.StatusCode != System.Net.HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException($"Sign-in as {email} failed: {(int)response.StatusCode}");
        }
    }

    /// <summary>Authenticates every request of the client with a new API token of the shared owner.</summary>
    public static async Task UseOwnerTokenAsync(this HttpClient client)
    {
        var tokens = SharedApp.Factory.Services.GetRequiredService<Cimeika.Web.Infrastructure.Identity.TokenStore>();
        var (_, secret) = await tokens.CreateAsync(SharedApp.Owner.Id, "tests", CancellationToken.None);
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", secret);
    }

    public static async Task<HttpResponseMessage> PostFormAsync(this HttpClient client, string url, string token,
        IEnumerable<KeyValuePair<string, string>> fields, bool htmx = false)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new FormUrlEncodedContent(fields.Append(new("__RequestVerificationToken", token))),
        };
        if (htmx) request.Headers.Add("HX-Request", "true");
        return await client.SendAsync(request);
    }

    public static Task<HttpResponseMessage> GetHtmxAsync(this HttpClient client, string url, bool historyRestore = false)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Add("HX-Request", "true");
        if (historyRestore) request.Headers.Add("HX-History-Restore-Request", "true");
        return client.SendAsync(request);
    }

    public static Task<HttpResponseMessage> GetHtmlAsync(this HttpClient client, string url)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.ParseAdd("text/html");
        return client.SendAsync(request);
    }

    public static async Task<JsonNode> JsonAsync(this HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync()) ?? throw new InvalidOperationException("empty JSON body");

    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string url, object body) =>
        client.PostAsJsonAsync(url, body, JsonOptions);

    public static Task<HttpResponseMessage> PutJsonAsync(this HttpClient client, string url, object body) =>
        client.PutAsJsonAsync(url, body, JsonOptions);

    public static HttpContent RawJson(string json) => new StringContent(json, System.Text.Encoding.UTF8, "application/json");

    private static readonly JsonSerializerOptions JsonOptions = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
