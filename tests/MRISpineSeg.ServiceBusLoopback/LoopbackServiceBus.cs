using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Azure.Amqp;
using Microsoft.Azure.Amqp.Framing;
using Microsoft.Azure.Amqp.Sasl;
using Microsoft.Azure.Amqp.Transport;
using MRISpineSeg.ServiceBusLoopback.Broker;

namespace MRISpineSeg.ServiceBusLoopback;

/// <summary>
/// <para><b>Test support only.</b> A minimal Azure Service Bus stand-in on 127.0.0.1 speaking AMQP 1.0 (plain TCP,
/// no TLS), so that the real <c>Azure.Messaging.ServiceBus</c> client can run in tests on machines without Docker
/// (Microsoft's emulator needs Docker). It is not a broker to run anything on: one process, in memory, no security.</para>
/// <para>What it does, as the Service Bus client expects: SASL mechanism <c>MSSBCBS</c>; the <c>$cbs</c> put-token
/// exchange (any token is accepted, answered 202); queues created up front (<see cref="CreateQueue"/>), any other
/// address refused with <c>amqp:not-found</c>; sender links announce a max message size; receive in peek-lock with
/// 16-byte delivery tags, which the client uses as lock tokens; settlement by complete (accepted), abandon (modified),
/// dead-letter (rejected, reason and description kept on <c>queue/$DeadLetterQueue</c>); settlement with a lost lock
/// answered <c>com.microsoft:message-lock-lost</c>; <c>$management</c> renew-lock and peek-message; lock expiry with
/// redelivery and a growing delivery count; the max-delivery-count rule; optional duplicate detection.</para>
/// <para>Not supported: sessions, transactions, scheduling, deferral, topics, TTL, batching across links.</para>
/// </summary>
public sealed class LoopbackServiceBus : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, QueueEntity> _queues = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, ManagementNode> _management = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<AmqpConnection, byte> _connections = new();
    private readonly CbsNode _cbs = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly AmqpTransportListener _listener;
    private readonly AmqpSettings _settings;
    private readonly Task _sweeper;

    private LoopbackServiceBus(int port)
    {
        Port = port;
        var settings = new AmqpSettings { RuntimeProvider = new Runtime(this) };
        var version = new AmqpVersion(1, 0, 0);
        var sasl = new SaslTransportProvider();
        sasl.Versions.Add(version);
        sasl.AddHandler(new SaslAnonymousHandler("MSSBCBS")); // what the Service Bus client offers
        sasl.AddHandler(new SaslAnonymousHandler());
        settings.TransportProviders.Add(sasl);
        var amqp = new AmqpTransportProvider();
        amqp.Versions.Add(version);
        settings.TransportProviders.Add(amqp);
        _settings = settings;
        var tcp = new TcpTransportSettings { Host = IPAddress.Loopback.ToString(), Port = port };
        _listener = new AmqpTransportListener([tcp.CreateListener()], settings);
        _listener.Listen(OnAcceptTransport);
        _sweeper = SweepLocksAsync(_stop.Token);
    }

    /// <summary>The TCP port on 127.0.0.1.</summary>
    public int Port { get; }

    /// <summary>A connection string for <c>ServiceBusClient</c>; the key is ignored.</summary>
    public string ConnectionString
        => $"Endpoint=sb://127.0.0.1:{Port};SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=loopback-test-key;UseDevelopmentEmulator=true";

    /// <summary>Exceptions the lock-expiry sweep caught (queue and message); empty in a healthy run.</summary>
    public ConcurrentQueue<string> SweepFaults { get; } = new();

    /// <summary>put-token requests answered on <c>$cbs</c>.</summary>
    public int TokensAccepted => _cbs.TokensAccepted;

    /// <summary>Starts listening on a free loopback port.</summary>
    public static LoopbackServiceBus Start()
    {
        // The AMQP listener binds the port it is given; take a free one from the OS first.
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return new LoopbackServiceBus(port);
    }

    /// <summary>Creates a queue (and its dead-letter sub-queue). Creating an existing name is an error, as in Azure.</summary>
    public void CreateQueue(string name, LoopbackQueueOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (!EntityAddress.TryParse(name, out var a) || a.DeadLetter || a.Management || a.Queue != name)
            throw new ArgumentException($"'{name}' is not a plain queue name (no '/', no '$').", nameof(name));
        var entity = new QueueEntity(name, options ?? new LoopbackQueueOptions());
        if (!_queues.TryAdd(name, entity)) throw new InvalidOperationException($"queue '{name}' already exists");
        _management[name] = new ManagementNode(entity);
        _management[entity.DeadLetters!.Path] = new ManagementNode(entity.DeadLetters);
    }

    /// <summary>Removes a queue and its management nodes; new attaches to it are refused, links already attached keep
    /// the removed entity until they close.</summary>
    public bool DeleteQueue(string name)
    {
        if (!_queues.TryRemove(name, out var q)) return false;
        _management.TryRemove(name, out _);
        _management.TryRemove(q.DeadLetters!.Path, out _);
        return true;
    }

    /// <summary>What a queue holds and what has happened to it.</summary>
    public QueueStats Stats(string name)
        => (_queues.TryGetValue(name, out var q) ? q : throw new KeyNotFoundException($"no queue '{name}'")).Stats();

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _sweeper.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // stopping
        }

        _listener.Close();
        foreach (var c in _connections.Keys) c.SafeClose();
        _stop.Dispose();
    }

    private async Task SweepLocksAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
        {
            var now = DateTime.UtcNow;
            foreach (var q in _queues.Values)
            {
                try
                {
                    q.ExpireLocks(now);
                }
                catch (Exception ex)
                {
                    // One broken queue must not stop lock expiry for the others; the fault stays visible to tests.
                    SweepFaults.Enqueue($"{q.Path}: {ex.GetType().Name}: {ex.Message}");
                }
            }
        }
    }

    private void OnAcceptTransport(TransportListener listener, TransportAsyncCallbackArgs args)
    {
        var connectionSettings = new AmqpConnectionSettings
        {
            ContainerId = "mrispineseg-loopback-servicebus",
            MaxFrameSize = 64 * 1024,
            IdleTimeOut = 4 * 60 * 1000,
        };
        AmqpConnection? connection = null;
        try
        {
            connection = new AmqpConnection(args.Transport, (ProtocolHeader)args.UserToken, false, _settings, connectionSettings);
            connection.Closed += (s, _) => _connections.TryRemove((AmqpConnection)s!, out byte _);
            _connections[connection] = 0;
            connection.BeginOpen(AmqpConstants.DefaultTimeout, r =>
            {
                try
                {
                    ((AmqpConnection)r.AsyncState!).EndOpen(r);
                }
                catch (Exception ex)
                {
                    ((AmqpConnection)r.AsyncState!).SafeClose(ex);
                }
            }, connection);
        }
        catch (Exception ex)
        {
            connection?.SafeClose(ex);
        }
    }

    /// <summary>Routes link attaches to the CBS node, a management node or a queue.</summary>
    private void OpenLink(AmqpLink link)
    {
        var address = (link.IsReceiver ? ((Target)link.Settings.Target).Address : ((Source)link.Settings.Source).Address)?.ToString();
        if (address == CbsNode.Address)
        {
            _cbs.Attach(link);
            return;
        }

        if (!EntityAddress.TryParse(address, out var a) || !_queues.TryGetValue(a.Queue, out var queue))
            throw new AmqpException(AmqpErrorCode.NotFound, $"The messaging entity 'sb://127.0.0.1:{Port}/{address}' could not be found. Create it first (LoopbackServiceBus.CreateQueue).");
        if (a.Management)
        {
            _management[a.EntityPath].Attach(link);
            return;
        }

        var entity = a.DeadLetter ? queue.DeadLetters! : queue;
        if (link is SendingAmqpLink toClient)
        {
            if (link.Settings.SettleType != SettleMode.SettleOnDispose)
                throw new AmqpException(AmqpErrorCode.NotImplemented, $"only peek-lock receivers are supported on '{a.EntityPath}'");
            entity.Attach(toClient);
            return;
        }

        if (a.DeadLetter)
            throw new AmqpException(AmqpErrorCode.NotAllowed, $"cannot send to the dead-letter sub-queue '{a.EntityPath}'");
        var fromClient = (ReceivingAmqpLink)link;
        fromClient.RegisterMessageListener(m => OnSent(fromClient, entity, m));
        fromClient.SetTotalLinkCredit(100, true, true);
    }

    private static void OnSent(ReceivingAmqpLink link, QueueEntity queue, AmqpMessage message)
    {
        using (message)
        {
            var payload = StoredMessage.Concat(message.RawByteBuffers.Select(b => new ArraySegment<byte>(b.Buffer, b.Offset, b.Length)).ToList());
            if ((ulong)payload.Length > queue.Options.MaxMessageSizeBytes)
            {
                link.DisposeMessage(message, new Rejected { Error = new Error { Condition = AmqpErrorCode.MessageSizeExceeded, Description = $"message of {payload.Length} bytes exceeds the queue's {queue.Options.MaxMessageSizeBytes}" } }, true, false);
                return;
            }

            queue.Enqueue(payload, message.Properties?.MessageId?.ToString(), DateTime.UtcNow);
            link.DisposeMessage(message, AmqpConstants.AcceptedOutcome, true, false);
        }
    }

    private sealed class Runtime(LoopbackServiceBus bus) : IRuntimeProvider
    {
        public AmqpConnection CreateConnection(TransportBase transport, ProtocolHeader protocolHeader, bool isInitiator, AmqpSettings amqpSettings, AmqpConnectionSettings connectionSettings)
            => new(transport, protocolHeader, false, amqpSettings, connectionSettings);

        public AmqpSession CreateSession(AmqpConnection connection, AmqpSessionSettings settings)
            => throw new InvalidOperationException("sessions are created by the connection");

        public AmqpLink CreateLink(AmqpSession session, AmqpLinkSettings settings)
        {
            if (settings.IsReceiver())
            {
                // The client sends on this link: announce the queue's max message size in the attach.
                var target = (Target)settings.Target;
                if (EntityAddress.TryParse(target.Address?.ToString(), out var a) && !a.Management && bus._queues.TryGetValue(a.Queue, out var q))
                    settings.MaxMessageSize = q.Options.MaxMessageSizeBytes;
                return new ReceivingAmqpLink(session, settings);
            }

            return new SendingAmqpLink(session, settings);
        }

        public IAsyncResult BeginOpenLink(AmqpLink link, TimeSpan timeout, AsyncCallback callback, object state)
        {
            bus.OpenLink(link);
            var done = new CompletedResult(state);
            callback(done);
            return done;
        }

        public void EndOpenLink(IAsyncResult result)
        {
        }
    }

    private sealed class CompletedResult(object? state) : IAsyncResult
    {
        public object? AsyncState => state;

        public WaitHandle AsyncWaitHandle => throw new NotSupportedException();

        public bool CompletedSynchronously => true;

        public bool IsCompleted => true;
    }
}
