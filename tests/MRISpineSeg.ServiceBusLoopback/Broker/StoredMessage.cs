using Microsoft.Azure.Amqp;
using Microsoft.Azure.Amqp.Framing;

namespace MRISpineSeg.ServiceBusLoopback.Broker;

/// <summary>
/// One message held by a queue: the bytes exactly as the sender encoded them, plus what the broker tracks
/// (sequence number, enqueue time, delivery count, the current lock). Each delivery re-encodes the header and
/// message annotations the way Service Bus does, so the client sees <c>DeliveryCount</c>, <c>SequenceNumber</c>,
/// <c>EnqueuedTime</c>, <c>LockedUntil</c> and, in the dead-letter sub-queue, <c>DeadLetterReason</c>.
/// </summary>
internal sealed class StoredMessage(long sequenceNumber, byte[] payload, DateTime enqueuedAt, string? messageId)
{
    public long SequenceNumber { get; } = sequenceNumber;

    public string? MessageId { get; } = messageId;

    public DateTime EnqueuedAt { get; } = enqueuedAt;

    /// <summary>Times delivered under a lock so far.</summary>
    public int DeliveryCount { get; set; }

    /// <summary>The current lock's token (the delivery tag of the current delivery); empty when not locked.</summary>
    public Guid LockToken { get; set; }

    public DateTime LockedUntil { get; set; }

    public bool IsLocked => LockToken != Guid.Empty;

    public string? DeadLetterReason { get; set; }

    public string? DeadLetterDescription { get; set; }

    public string? DeadLetterSource { get; set; }

    public void Unlock()
    {
        LockToken = Guid.Empty;
        LockedUntil = default;
    }

    /// <summary>
    /// The message as a client receives it. Service Bus's header delivery-count is the number of earlier deliveries
    /// on a locked receive (the client adds one) and the count itself on a peek.
    /// </summary>
    public AmqpMessage Encode(bool peek)
    {
        var m = AmqpMessage.CreateAmqpStreamMessage(new BufferListStream([new ArraySegment<byte>(payload)]));
        m.MessageAnnotations ??= new MessageAnnotations();
        m.Header.DeliveryCount = (uint)(peek ? DeliveryCount : Math.Max(0, DeliveryCount - 1));
        var annotations = m.MessageAnnotations.Map;
        annotations["x-opt-sequence-number"] = SequenceNumber;
        annotations["x-opt-enqueued-time"] = EnqueuedAt;
        if (!peek && IsLocked) annotations["x-opt-locked-until"] = LockedUntil;
        if (DeadLetterSource is not null)
        {
            annotations["x-opt-deadletter-source"] = DeadLetterSource;
            m.ApplicationProperties ??= new ApplicationProperties();
            m.ApplicationProperties.Map["DeadLetterReason"] = DeadLetterReason ?? string.Empty;
            m.ApplicationProperties.Map["DeadLetterErrorDescription"] = DeadLetterDescription ?? string.Empty;
        }

        return m;
    }

    /// <summary>The serialised message, for a peek response.</summary>
    public ArraySegment<byte> EncodeForPeek()
    {
        using var m = Encode(peek: true);
        return new ArraySegment<byte>(Concat(m.GetPayload()));
    }

    /// <summary>The bytes of a message's payload segments, in one array.</summary>
    public static byte[] Concat(IReadOnlyList<ArraySegment<byte>> segments)
    {
        var bytes = new byte[segments.Sum(x => x.Count)];
        var at = 0;
        foreach (var x in segments)
        {
            x.AsSpan().CopyTo(bytes.AsSpan(at));
            at += x.Count;
        }

        return bytes;
    }

    public StoredMessage CopyForDeadLetter(long sequenceNumber, string source, string reason, string description)
        => new(sequenceNumber, payload, EnqueuedAt, MessageId)
        {
            DeliveryCount = DeliveryCount,
            DeadLetterSource = source,
            DeadLetterReason = reason,
            DeadLetterDescription = description,
        };
}
