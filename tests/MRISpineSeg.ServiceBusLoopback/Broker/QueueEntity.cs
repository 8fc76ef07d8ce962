using Microsoft.Azure.Amqp;
using Microsoft.Azure.Amqp.Framing;

namespace MRISpineSeg.ServiceBusLoopback.Broker;

/// <summary>
/// A queue or its dead-letter sub-queue: FIFO by sequence number, peek-lock with lock tokens, lock expiry with
/// redelivery, the max-delivery-count rule, optional duplicate detection. One lock guards the state; AMQP sends
/// happen outside it.
/// </summary>
internal sealed class QueueEntity
{
    public const string LockLostCondition = "com.microsoft:message-lock-lost";
    public const string MaxDeliveryCountExceeded = "MaxDeliveryCountExceeded";

    private readonly object _gate = new();
    private readonly LinkedList<StoredMessage> _messages = new();
    private readonly List<Consumer> _consumers = [];
    private readonly Dictionary<string, DateTime> _recentIds = new(StringComparer.Ordinal);
    private readonly QueueEntity? _deadLetters;
    private long _sequence;
    private long _sent, _deliveries, _completions, _abandons, _renewals, _expiries, _duplicates;

    public QueueEntity(string path, LoopbackQueueOptions options, bool isDeadLetterQueue = false)
    {
        Path = path;
        Options = options;
        _deadLetters = isDeadLetterQueue ? null : new QueueEntity($"{path}/{EntityAddress.DeadLetterSegment}", options, isDeadLetterQueue: true);
    }

    public string Path { get; }

    public LoopbackQueueOptions Options { get; }

    /// <summary>The dead-letter sub-queue; null for a dead-letter queue itself.</summary>
    public QueueEntity? DeadLetters => _deadLetters;

    public QueueStats Stats()
    {
        lock (_gate)
        {
            return new QueueStats(
                _messages.Count,
                _messages.Count(m => m.IsLocked),
                _deadLetters?.Count ?? 0,
                _sent,
                _deliveries,
                _completions,
                _abandons,
                _renewals,
                _expiries,
                _duplicates);
        }
    }

    private int Count
    {
        get
        {
            lock (_gate) return _messages.Count;
        }
    }

    /// <summary>Takes a message from a sender link. False when duplicate detection dropped it.</summary>
    public bool Enqueue(byte[] payload, string? messageId, DateTime now)
    {
        lock (_gate)
        {
            if (Options.DuplicateDetectionWindow is { } window && messageId is not null)
            {
                foreach (var old in _recentIds.Where(kv => now - kv.Value > window).Select(kv => kv.Key).ToList()) _recentIds.Remove(old);
                if (_recentIds.ContainsKey(messageId))
                {
                    _duplicates++;
                    return false;
                }

                _recentIds[messageId] = now;
            }

            _messages.AddLast(new StoredMessage(++_sequence, payload, now, messageId));
            _sent++;
        }

        Dispatch();
        return true;
    }

    public void Attach(SendingAmqpLink link)
    {
        var consumer = new Consumer(this, link);
        lock (_gate) _consumers.Add(consumer);
        link.SafeAddClosed((_, _) =>
        {
            lock (_gate) _consumers.Remove(consumer);
        });
    }

    /// <summary>Ends every lock that ran out: the message becomes available again, or goes to dead-letter at the delivery limit.</summary>
    public void ExpireLocks(DateTime now)
    {
        var expired = false;
        lock (_gate)
        {
            for (var node = _messages.First; node is not null;)
            {
                var next = node.Next;
                if (node.Value.IsLocked && node.Value.LockedUntil <= now)
                {
                    _expiries++;
                    ReleaseLocked(node);
                    expired = true;
                }

                node = next;
            }
        }

        if (expired) DispatchWithDeadLetters();
        _deadLetters?.ExpireLocks(now);
    }

    /// <summary>Extends the locks with these tokens; null (and nothing renewed) when any of them is not held.</summary>
    public DateTime[]? RenewLocks(IReadOnlyList<Guid> tokens, DateTime now)
    {
        lock (_gate)
        {
            var found = new StoredMessage[tokens.Count];
            for (var i = 0; i < tokens.Count; i++)
            {
                var m = FindLocked(tokens[i], now);
                if (m is null) return null;
                found[i] = m.Value;
            }

            var until = new DateTime[tokens.Count];
            for (var i = 0; i < found.Length; i++)
            {
                found[i].LockedUntil = now + Options.LockDuration;
                until[i] = found[i].LockedUntil;
                _renewals++;
            }

            return until;
        }
    }

    /// <summary>Up to <paramref name="count"/> messages from <paramref name="fromSequence"/> on, locked or not, serialised.</summary>
    public List<ArraySegment<byte>> Peek(long fromSequence, int count)
    {
        lock (_gate)
        {
            return _messages.Where(m => m.SequenceNumber >= fromSequence).Take(count).Select(m => m.EncodeForPeek()).ToList();
        }
    }

    private LinkedListNode<StoredMessage>? FindLocked(Guid token, DateTime now)
    {
        for (var node = _messages.First; node is not null; node = node.Next)
        {
            if (node.Value.LockToken == token) return node.Value.LockedUntil > now ? node : null;
        }

        return null;
    }

    /// <summary>Applies a receiver's disposition to the delivery with this lock token; returns the state to settle it with.</summary>
    private DeliveryState Settle(Guid token, DeliveryState? state, DateTime now)
    {
        DeliveryState reply;
        lock (_gate)
        {
            var node = FindLocked(token, now);
            if (node is null)
            {
                return new Rejected
                {
                    Error = new Error
                    {
                        Condition = LockLostCondition,
                        Description = $"The lock supplied is invalid. Either the lock expired, or the message has already been removed from the queue '{Path}'.",
                    },
                };
            }

            switch (state)
            {
                case Accepted:
                    _messages.Remove(node);
                    _completions++;
                    return AmqpConstants.AcceptedOutcome;
                case Rejected rejected:
                    _messages.Remove(node);
                    var info = rejected.Error?.Info;
                    MoveToDeadLetter(node.Value, Text(info, "DeadLetterReason"), Text(info, "DeadLetterErrorDescription"));
                    reply = AmqpConstants.AcceptedOutcome;
                    break;
                case Modified { UndeliverableHere: true }:
                    return NotImplemented("defer is not supported by the loopback endpoint");
                case Modified:
                    _abandons++;
                    ReleaseLocked(node);
                    reply = state;
                    break;
                case Released:
                    node.Value.DeliveryCount--;
                    node.Value.Unlock();
                    reply = state;
                    break;
                default:
                    return NotImplemented($"disposition {state?.GetType().Name ?? "null"} is not supported");
            }
        }

        DispatchWithDeadLetters();
        return reply;
    }

    private static Rejected NotImplemented(string what)
        => new() { Error = new Error { Condition = AmqpErrorCode.NotImplemented, Description = what } };

    private static string Text(Fields? info, string key)
        => info is not null && info.TryGetValue(key, out object? value) && value is not null ? value.ToString() ?? string.Empty : string.Empty;

    /// <summary>Under the gate: a lock ended without settlement.</summary>
    private void ReleaseLocked(LinkedListNode<StoredMessage> node)
    {
        var m = node.Value;
        m.Unlock();
        if (_deadLetters is not null && m.DeliveryCount >= Options.MaxDeliveryCount)
        {
            _messages.Remove(node);
            MoveToDeadLetter(m, MaxDeliveryCountExceeded, $"Message could not be consumed after {m.DeliveryCount} delivery attempts.");
        }
    }

    /// <summary>Under the gate. A dead-letter queue's own messages are never dead-lettered again (as in Azure, they stay).</summary>
    private void MoveToDeadLetter(StoredMessage m, string reason, string description)
    {
        if (_deadLetters is null)
        {
            m.Unlock();
            _messages.AddLast(m);
            return;
        }

        _deadLetters.Add(m, Path, reason, description);
    }

    /// <summary>Takes a dead letter. Called under the parent queue's gate (lock order: queue, then its dead-letter
    /// queue), so it only stores; the parent dispatches once it has let go (<see cref="DispatchWithDeadLetters"/>).</summary>
    private void Add(StoredMessage source, string from, string reason, string description)
    {
        lock (_gate)
        {
            _messages.AddLast(source.CopyForDeadLetter(++_sequence, from, reason, description));
            _sent++;
        }
    }

    private void DispatchWithDeadLetters()
    {
        Dispatch();
        _deadLetters?.Dispatch();
    }

    /// <summary>Hands available messages to consumers with credit, locking each; sends outside the gate.</summary>
    private void Dispatch()
    {
        List<(Consumer Consumer, StoredMessage Stored, AmqpMessage Message, Guid Token)>? sends = null;
        lock (_gate)
        {
            var now = DateTime.UtcNow;
            foreach (var c in _consumers)
            {
                for (var node = _messages.First; node is not null && c.Credit > 0; node = node.Next)
                {
                    var m = node.Value;
                    if (m.IsLocked) continue;
                    m.LockToken = Guid.NewGuid();
                    m.LockedUntil = now + Options.LockDuration;
                    m.DeliveryCount++;
                    _deliveries++;
                    c.Credit--;
                    (sends ??= []).Add((c, m, m.Encode(peek: false), m.LockToken));
                }
            }
        }

        if (sends is null) return;
        foreach (var (c, stored, message, token) in sends)
        {
            try
            {
                c.Send(message, token);
            }
            catch (Exception ex) when (ex is AmqpException or InvalidOperationException or ObjectDisposedException)
            {
                // The link closed between picking and sending: the message was never delivered, so it is free again.
                lock (_gate)
                {
                    if (stored.LockToken != token) continue;
                    stored.Unlock();
                    stored.DeliveryCount--;
                    _deliveries--;
                }
            }
        }
    }

    /// <summary>A receiver link attached to this entity, in peek-lock.</summary>
    private sealed class Consumer
    {
        private readonly QueueEntity _queue;
        private readonly SendingAmqpLink _link;

        public Consumer(QueueEntity queue, SendingAmqpLink link)
        {
            _queue = queue;
            _link = link;
            link.RegisterCreditListener(OnCredit);
            link.RegisterDispositionListener(OnDisposition);
        }

        /// <summary>Credit the client has given and the broker has not used; guarded by the queue's gate.</summary>
        public int Credit { get; set; }

        public void Send(AmqpMessage message, Guid token)
            => _link.SendMessageNoWait(message, new ArraySegment<byte>(token.ToByteArray()), AmqpConstants.NullBinary);

        private void OnCredit(uint credit, bool drain, ArraySegment<byte> txnId)
        {
            lock (_queue._gate) Credit = (int)Math.Min(int.MaxValue, Credit + (long)credit);
            _queue.Dispatch();
            if (drain)
            {
                // The link itself advances the delivery count and reports zero credit after this returns.
                lock (_queue._gate) Credit = 0;
            }
        }

        private void OnDisposition(Delivery delivery)
        {
            var tag = delivery.DeliveryTag;
            var token = tag.Count == 16 ? new Guid(tag.AsSpan()) : Guid.Empty;
            var outcome = _queue.Settle(token, delivery.State, DateTime.UtcNow);
            if (!delivery.Settled) _link.DisposeDelivery(delivery, true, outcome);
        }
    }
}
