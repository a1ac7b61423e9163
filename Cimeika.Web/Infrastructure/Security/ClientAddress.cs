using System.Net;
using System.Net.Sockets;

namespace Cimeika.Web.Infrastructure.Security;

public static class ClientAddress
{
    /// <summary>
    /// The rate-limit key of a request: its client address (the forwarded one when the connection comes
    /// from a known proxy). IPv6 clients are keyed by their /64 network, since one subscriber usually holds
    /// a whole /64 and could otherwise change address at every request.
    /// </summary>
    public static string Key(HttpContext context)
    {
        var address = context.Connection.RemoteIpAddress;
        if (address is null) return "unknown";
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (address.AddressFamily != AddressFamily.InterNetworkV6) return address.ToString();
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }
}
