using Microsoft.Azure.Amqp;
using Microsoft.Azure.Amqp.Encoding;

namespace MRISpineSeg.ServiceBusLoopback.Broker;

/// <summary>
/// <c>queue/$management</c> (and the dead-letter sub-queue's): lock renewal (<c>com.microsoft:renew-lock</c>) and peek
/// (<c>com.microsoft:peek-message</c>), with the request and response maps the Service Bus client uses. Other operations
/// answer 501 naming the operation.
/// </summary>
internal sealed class ManagementNode(QueueEntity entity) : RequestResponseNode
{
    private const string RenewLock = "com.microsoft:renew-lock";
    private const string PeekMessage = "com.microsoft:peek-message";

    protected override AmqpMessage Handle(AmqpMessage request)
    {
        var operation = Operation(request);
        var body = (request.ValueBody?.Value as AmqpMap) ?? new AmqpMap();
        return operation switch
        {
            RenewLock => Renew(body),
            PeekMessage => Peek(body),
            _ => Status(501, "Not Implemented", AmqpErrorCode.NotImplemented.Value, $"operation '{operation}' is not supported by the loopback endpoint; it supports {RenewLock} and {PeekMessage}"),
        };
    }

    private AmqpMessage Renew(AmqpMap body)
    {
        if (body[new MapKey("lock-tokens")] is not Guid[] tokens || tokens.Length == 0)
            return Status(400, "Bad Request", AmqpErrorCode.InvalidField.Value, "renew-lock needs a non-empty 'lock-tokens' array of uuids");
        var until = entity.RenewLocks(tokens, DateTime.UtcNow);
        if (until is null)
            return Status(410, "Gone", QueueEntity.LockLostCondition, $"The lock supplied is invalid. Either the lock expired, or the message has already been removed from the queue '{entity.Path}'.");
        var map = new AmqpMap { [new MapKey("expirations")] = until };
        return Status(200, "OK", body: map);
    }

    private AmqpMessage Peek(AmqpMap body)
    {
        var from = body[new MapKey("from-sequence-number")] is long f ? f : 0;
        var count = body[new MapKey("message-count")] is int c ? c : 1;
        var messages = entity.Peek(from, Math.Max(1, count));
        if (messages.Count == 0) return Status(204, "No Content");
        var list = new List<object>(messages.Count);
        foreach (var m in messages) list.Add(new AmqpMap { [new MapKey("message")] = m });
        return Status(200, "OK", body: new AmqpMap { [new MapKey("messages")] = list });
    }
}
