using System.Net;
using Cimeika.Web.Infrastructure.Configuration;
using Cimeika.Web.Infrastructure.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using NUnit.Framework;

namespace Cimeika.Web.Tests.Security;

/// <summary>
/// The stricter policy for sign-in and token endpoints, applied with <c>RequireRateLimiting</c> exactly as
/// those endpoints will, on a tiny app registered with the app's own rate-limit extensions.
/// </summary>
public sealed class AuthRateLimitPolicyTests
{
    private WebApplication _app = null!;
    private HttpClient _client = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Services.AddRateLimits(new SecuritySettings { RateLimitPerMinute = 100, RateLimitPerHour = 1000, AuthRateLimitPerMinute = 3 });
        _app = builder.Build();
        _app.Use((context, next) =>
        {
            context.Connection.RemoteIpAddress = IPAddress.Parse(context.Request.Headers["X-Test-Peer"].ToString());
            return next(context);
        });
        _app.UseRouting();
        _app.UseRateLimits();
        _app.MapPost("/sign-in", () => "signed in").RequireRateLimiting(RateLimits.AuthPolicy);
        _app.MapGet("/page", () => "page");
        await _app.StartAsync();
        _client = _app.GetTestClient();
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        _client.Dispose();
        await _app.DisposeAsync();
    }

    private Task<HttpResponseMessage> SendAsync(HttpMethod method, string url, string peer)
    {
        var request = new HttpRequestMessage(method, url);
        request.Headers.Add("X-Test-Peer", peer);
        request.Headers.Accept.ParseAdd("application/json");
        return _client.SendAsync(request);
    }

    [Test]
    public async Task Sign_in_is_refused_past_the_auth_limit_with_its_own_message()
    {
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++) statuses.Add((await SendAsync(HttpMethod.Post, "/sign-in", "198.51.100.201")).StatusCode);

        var refused = await SendAsync(HttpMethod.Post, "/sign-in", "198.51.100.201");

        Assert.That(statuses, Is.All.EqualTo(HttpStatusCode.OK));
        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
        Assert.That(await refused.Content.ReadAsStringAsync(),
            Is.EqualTo("{\"error\":\"rate_limit_exceeded\",\"message\":\"Too many requests. Limit: 3/minute\",\"detail\":\"Please try again later\"}"));
        Assert.That(int.Parse(refused.Headers.RetryAfter!.ToString()), Is.InRange(1, 20));
    }

    [Test]
    public async Task The_auth_budget_is_per_client_and_other_endpoints_do_not_use_it()
    {
        for (var i = 0; i < 4; i++) await SendAsync(HttpMethod.Post, "/sign-in", "198.51.100.202");

        var page = await SendAsync(HttpMethod.Get, "/page", "198.51.100.202");
        var otherClient = await SendAsync(HttpMethod.Post, "/sign-in", "198.51.100.203");

        Assert.That(page.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(otherClient.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Pages_do_not_use_up_the_sign_in_budget()
    {
        for (var i = 0; i < 10; i++) Assert.That((await SendAsync(HttpMethod.Get, "/page", "198.51.100.204")).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        Assert.That((await SendAsync(HttpMethod.Post, "/sign-in", "198.51.100.204")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }
}
