using System.Net;
using Cimeika.Web.Infrastructure.Configuration;

namespace Cimeika.Web.Infrastructure.Observability;

/// <summary>
/// Who may read <c>/metrics</c>. Every registered rule is asked; one that grants is enough, and
/// everyone else gets 404. Register another rule (an operator token, say) with
/// <c>services.AddSingleton&lt;IMetricsAccess, TheRule&gt;()</c>.
/// </summary>
public interface IMetricsAccess
{
    ValueTask<bool> IsAllowedAsync(HttpContext context);
}

/// <summary>Loopback, and the networks in METRICS_ALLOWED_NETWORKS.</summary>
public sealed class NetworkMetricsAccess(AppSettings settings) : IMetricsAccess
{
    public ValueTask<bool> IsAllowedAsync(HttpContext context) => ValueTask.FromResult(IsAllowed(context));

    private bool IsAllowed(HttpContext context)
    {
        if (context.Connection.RemoteIpAddress is not { } address)
        {
            return false;
        }
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        // A reverse proxy on this host connects from loopback for every client: a forwarded request
        // is not a local one.
        var forwarded = context.Request.Headers.ContainsKey("X-Forwarded-For") || context.Request.Headers.ContainsKey("Forwarded");
        return (IPAddress.IsLoopback(address) && !forwarded)
               || settings.Monitoring.MetricsAllowedNetworks.Any(network => network.Contains(address));
    }
}
