using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace MRISpineSeg.EndToEnd.Tests.Support;

/// <summary>
/// A loopback TCP forwarder that a test can take down and bring back: down means open connections are cut and new
/// ones are refused, which is what a client sees when a service is unreachable. Used to make Azurite's blob
/// endpoint unavailable for a while without touching Azurite itself.
/// </summary>
public sealed class SwitchableProxy : IAsyncDisposable
{
    private readonly int _targetPort;
    private readonly ConcurrentDictionary<TcpClient, byte> _open = new();
    private TcpListener? _listener;
    private CancellationTokenSource? _accepting;
    private Task _acceptLoop = Task.CompletedTask;

    private SwitchableProxy(int targetPort)
    {
        _targetPort = targetPort;
        Port = Azurite.FreePort();
    }

    public int Port { get; }

    private readonly ConcurrentDictionary<TcpClient, byte> _held = new();
    private volatile bool _hanging;

    /// <summary>
    /// Storage that hangs: open connections are cut, and new ones are accepted but never answered (no byte is
    /// forwarded either way) until <see cref="Answer"/>.
    /// </summary>
    public void Hang()
    {
        _hanging = true;
        foreach (var c in _open.Keys) c.Dispose();
    }

    private Func<string, bool>? _cutWhen;
    private int _cutsLeft;

    /// <summary>
    /// Cuts the connection, before a byte of it is forwarded, for each of the next <paramref name="times"/> HTTP
    /// requests whose request line (e.g. <c>PUT /devstoreaccount1/leaderboard/leaderboard.json HTTP/1.1</c>) matches
    /// <paramref name="requestLine"/>: a fault at a chosen request. Other requests pass.
    /// </summary>
    public void CutRequests(Func<string, bool> requestLine, int times)
    {
        _cutWhen = requestLine;
        Volatile.Write(ref _cutsLeft, times);
    }

    /// <summary>How many requests <see cref="CutRequests"/> has still to cut.</summary>
    public int CutsLeft => Volatile.Read(ref _cutsLeft);

    /// <summary>Ends <see cref="Hang"/>: held connections are closed (clients reconnect) and new ones are forwarded again.</summary>
    public void Answer()
    {
        _hanging = false;
        foreach (var c in _held.Keys) c.Dispose();
    }

    public static SwitchableProxy Start(int targetPort)
    {
        var p = new SwitchableProxy(targetPort);
        p.ComeBack();
        return p;
    }

    /// <summary>Cuts every open connection and refuses new ones.</summary>
    public async Task GoDownAsync()
    {
        if (_listener is null) return;
        await _accepting!.CancelAsync();
        _listener.Stop();
        _listener = null;
        try
        {
            await _acceptLoop;
        }
        catch (OperationCanceledException)
        {
            // stopping
        }

        foreach (var c in _open.Keys) c.Dispose(); // their forwarders end and forget them
        foreach (var c in _held.Keys) c.Dispose();
        _accepting.Dispose();
        _accepting = null;
    }

    /// <summary>Listens again on the same port.</summary>
    public void ComeBack()
    {
        if (_listener is not null) return;
        var listener = new TcpListener(IPAddress.Loopback, Port);
        listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Start();
        _listener = listener;
        _accepting = new CancellationTokenSource();
        _acceptLoop = AcceptAsync(listener, _accepting.Token);
    }

    public async ValueTask DisposeAsync() => await GoDownAsync();

    private async Task AcceptAsync(TcpListener listener, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            TcpClient inbound;
            try
            {
                inbound = await listener.AcceptTcpClientAsync(ct);
            }
            catch (Exception) when (ct.IsCancellationRequested)
            {
                return;
            }

            _ = ForwardAsync(inbound);
        }
    }

    private async Task ForwardAsync(TcpClient inbound)
    {
        if (_hanging)
        {
            _held[inbound] = 0; // accepted, never answered; Answer() or disposal closes it
            return;
        }

        var outbound = new TcpClient();
        _open[inbound] = 0;
        _open[outbound] = 0;
        try
        {
            await outbound.ConnectAsync(IPAddress.Loopback, _targetPort);
            var a = inbound.GetStream();
            var b = outbound.GetStream();
            await Task.WhenAny(_cutWhen is null ? a.CopyToAsync(b) : ForwardRequestsAsync(a, b), b.CopyToAsync(a));
        }
        catch (Exception)
        {
            // a cut connection ends here; the client sees it closed mid-request
        }
        finally
        {
            _open.TryRemove(inbound, out _);
            _open.TryRemove(outbound, out _);
            inbound.Dispose();
            outbound.Dispose();
        }
    }

    /// <summary>
    /// Client to service, one HTTP/1.1 request at a time (headers, then Content-Length bytes of body), so that a
    /// request chosen by <see cref="CutRequests"/> can be cut before it reaches the service. Returns when either side ends.
    /// </summary>
    private async Task ForwardRequestsAsync(NetworkStream client, NetworkStream service)
    {
        var buffer = new List<byte>(8192);
        var one = new byte[1];
        while (true)
        {
            buffer.Clear();
            while (buffer.Count < 4 || !(buffer[^4] == '\r' && buffer[^3] == '\n' && buffer[^2] == '\r' && buffer[^1] == '\n'))
            {
                if (await client.ReadAsync(one) == 0) return;
                buffer.Add(one[0]);
                if (buffer.Count > 64 << 10) throw new InvalidDataException("request headers over 64 KiB");
            }

            var head = System.Text.Encoding.ASCII.GetString(buffer.ToArray());
            var requestLine = head[..head.IndexOf('\r')];
            if (_cutWhen is { } cut && cut(requestLine) && Interlocked.Decrement(ref _cutsLeft) >= 0)
                throw new IOException($"injected: cut at {requestLine}");

            await service.WriteAsync(buffer.ToArray());
            var length = 0L;
            foreach (var line in head.Split("\r\n"))
            {
                if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase)) length = long.Parse(line[15..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
            }

            var chunk = new byte[64 << 10];
            while (length > 0)
            {
                var n = await client.ReadAsync(chunk.AsMemory(0, (int)Math.Min(chunk.Length, length)));
                if (n == 0) return;
                await service.WriteAsync(chunk.AsMemory(0, n));
                length -= n;
            }
        }
    }
}
