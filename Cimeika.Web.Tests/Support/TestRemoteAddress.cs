using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace Cimeika.Web.Tests.Support;

/// <summary>
/// In-memory requests have no remote address. This gives them loopback, or the address in the
/// <see cref="Header"/> header, so that address-based rules (/metrics) can be tested.
/// </summary>
public sealed class TestRemoteAddress : IStartupFilter
{
    public const string Header = "X-Test-Remote-Address";

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((context, following) =>
        {
            context.Connection.RemoteIpAddress = IPAddress.TryParse(context.Request.Headers[Header], out var address)
                ? address
                : IPAddress.Loopback;
            return following(context);
        });
        next(app);
    };
}
