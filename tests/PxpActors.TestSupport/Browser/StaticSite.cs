using System.Net;
using System.Net.Sockets;
using System.Text;

namespace PxpActors.TestSupport.Browser;

/// <summary>
/// Serves fixed files over HTTP on a free loopback port (a page needs an origin: for permissions, and to load its
/// scripts). Disposing stops the listener and waits for the requests in flight.
/// </summary>
public sealed class StaticSite : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly IReadOnlyDictionary<string, (string ContentType, byte[] Body)> _files;
    private readonly List<Task> _requests = [];
    private readonly Task _serve;

    /// <param name="files">Path (starting with "/") to content type and body.</param>
    public StaticSite(IReadOnlyDictionary<string, (string ContentType, byte[] Body)> files)
    {
        _files = files;
        var port = FreePort();
        BaseAddress = new Uri($"http://127.0.0.1:{port}/");
        _listener.Prefixes.Add(BaseAddress.ToString());
        _listener.Start();
        _serve = ServeAsync();
    }

    /// <summary>http://127.0.0.1:PORT/</summary>
    public Uri BaseAddress { get; }

    /// <summary>A text file, UTF-8.</summary>
    public static (string, byte[]) Text(string contentType, string body) => (contentType + "; charset=utf-8", Encoding.UTF8.GetBytes(body));

    private async Task ServeAsync()
    {
        while (true)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            lock (_requests)
            {
                _requests.RemoveAll(t => t.IsCompleted);
                _requests.Add(AnswerAsync(context));
            }
        }
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        var response = context.Response;
        try
        {
            var found = _files.TryGetValue(context.Request.Url!.AbsolutePath, out var file);
            var (contentType, body) = found ? file : ("text/plain", "not found"u8.ToArray());
            response.StatusCode = found ? 200 : 404;
            response.ContentType = contentType;
            response.ContentLength64 = body.Length;
            await response.OutputStream.WriteAsync(body);
            response.Close();
        }
        catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or IOException)
        {
            // The browser went away mid-request.
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        await _serve;
        Task[] requests;
        lock (_requests) requests = [.. _requests];
        await Task.WhenAll(requests);
        _listener.Close();
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
