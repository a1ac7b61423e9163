namespace Cimeika.Web.Infrastructure.Observability;

/// <summary>
/// The Seq sink's HTTP handler: watches its posts so that an unreachable Seq is reported once
/// (and its return once), instead of silently or once per event. The sink itself keeps retrying.
/// </summary>
public sealed class SeqAvailability(IServiceProvider services, string seqUrl) : DelegatingHandler(new SocketsHttpHandler())
{
    private int _down;

    // Resolved on first use: the logger factory does not exist yet while the sink is being built.
    private ILogger Logger => services.GetRequiredService<ILogger<SeqAvailability>>();

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await base.SendAsync(request, cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException)
        {
            WentDown(e.Message);
            throw;
        }
        if (response.IsSuccessStatusCode)
        {
            CameBack();
        }
        else
        {
            WentDown($"HTTP {(int)response.StatusCode}");
        }
        return response;
    }

    private void WentDown(string reason)
    {
        if (Interlocked.Exchange(ref _down, 1) == 0)
        {
            Logger.LogWarning(
                "Seq at {SeqUrl} is not accepting logs ({Reason}); logs still go to the console and are retried until it answers",
                seqUrl, reason);
        }
    }

    private void CameBack()
    {
        if (Interlocked.Exchange(ref _down, 0) == 1)
        {
            Logger.LogInformation("Seq at {SeqUrl} accepts logs again", seqUrl);
        }
    }
}
