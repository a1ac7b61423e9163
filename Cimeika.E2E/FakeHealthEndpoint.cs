using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Cimeika.E2E;

/// <summary>
/// Another service's health endpoint for the dashboard to watch: answers in the HealthChecks UI
/// client format with one check, "queue", healthy or unhealthy as the test sets it.
/// </summary>
public sealed class FakeHealthEndpoint : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _loop;

    public FakeHealthEndpoint()
    {
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            Url = $"http://127.0.0.1:{((IPEndPoint)probe.LocalEndpoint).Port}/";
        }
        _listener.Prefixes.Add(Url);
        _listener.Start();
        _loop = ServeAsync();
    }

    public string Url { get; }

    public volatile bool Healthy = true;

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
                return;
            }
            var status = Healthy ? "Healthy" : "Unhealthy";
            var description = Healthy ? "Queue drains" : "Queue is stuck";
            var body = Encoding.UTF8.GetBytes(
                "{\"status\":\"" + status + "\",\"totalDuration\":\"00:00:00.0010000\",\"entries\":{\"queue\":{\"data\":{},\"description\":\"" + description
                + "\",\"duration\":\"00:00:00.0010000\",\"status\":\"" + status + "\",\"tags\":[\"messaging\"]}}}");
            context.Response.StatusCode = Healthy ? 200 : 503;
            context.Response.ContentType = "application/json";
            await context.Response.OutputStream.WriteAsync(body);
            context.Response.Close();
        }
    }

    public void Dispose()
    {
        _listener.Close();
        _loop.Wait(TimeSpan.FromSeconds(5));
    }
}
