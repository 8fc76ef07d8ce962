using Azure.Messaging.ServiceBus;
using MRISpineSeg.Pipeline.Contracts;

namespace MRISpineSeg.Pipeline.Queues;

/// <summary>
/// The job queue on Azure Service Bus (production). Peek-lock receive (no prefetch, so a lock is never held by a
/// message nobody works on), lock renewal, complete / abandon / dead-letter with reason and description. The message
/// id is the job id, so the queue's duplicate detection drops a re-sent upload event. Lock duration and max delivery
/// count are properties of the queue (infra); this client honours them.
/// </summary>
public sealed class ServiceBusJobQueue : IJobQueue
{
    private readonly ServiceBusSender _sender;
    private readonly ServiceBusReceiver _receiver;
    private readonly ServiceBusReceiver _deadLetters;

    public ServiceBusJobQueue(ServiceBusClient client, string queueName)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentException.ThrowIfNullOrEmpty(queueName);
        Name = queueName;
        _sender = client.CreateSender(queueName);
        _receiver = client.CreateReceiver(queueName, new ServiceBusReceiverOptions { ReceiveMode = ServiceBusReceiveMode.PeekLock, PrefetchCount = 0 });
        _deadLetters = client.CreateReceiver(queueName, new ServiceBusReceiverOptions { SubQueue = SubQueue.DeadLetter, ReceiveMode = ServiceBusReceiveMode.PeekLock });
    }

    public string Name { get; }

    public async Task SendAsync(JobMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        var m = new ServiceBusMessage(JobMessageCodec.Serialize(message))
        {
            MessageId = message.JobId,
            ContentType = JobMessageCodec.ContentType,
            Subject = JobMessageCodec.Subject,
        };
        m.ApplicationProperties["schemaVersion"] = message.SchemaVersion;
        m.ApplicationProperties["blobName"] = message.BlobName;
        await Call(() => _sender.SendMessageAsync(m, cancellationToken), "send to").ConfigureAwait(false);
    }

    public async Task<IJobDelivery?> ReceiveAsync(TimeSpan maxWait, CancellationToken cancellationToken = default)
    {
        var m = await Call(() => _receiver.ReceiveMessageAsync(maxWait, cancellationToken), "receive from").ConfigureAwait(false);
        return m is null ? null : new Delivery(this, m);
    }

    public async Task<IReadOnlyList<DeadLetteredJob>> PeekDeadLettersAsync(int max, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        var peeked = await Call(() => _deadLetters.PeekMessagesAsync(max, cancellationToken: cancellationToken), "peek dead letters of").ConfigureAwait(false);
        var list = new List<DeadLetteredJob>(peeked.Count);
        foreach (var p in peeked)
        {
            list.Add(new DeadLetteredJob(p.DeadLetterReason ?? "Unknown", p.DeadLetterErrorDescription ?? string.Empty, p.Body, p.DeliveryCount));
        }

        return list;
    }

    public async ValueTask DisposeAsync()
    {
        await _sender.DisposeAsync().ConfigureAwait(false);
        await _receiver.DisposeAsync().ConfigureAwait(false);
        await _deadLetters.DisposeAsync().ConfigureAwait(false);
    }

    private async Task<T> Call<T>(Func<Task<T>> call, string verb)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (ServiceBusException ex)
        {
            throw Wrap(ex, $"{verb} Service Bus queue \"{Name}\"");
        }
    }

    private async Task Call(Func<Task> call, string verb)
        => await Call(async () => { await call().ConfigureAwait(false); return true; }, verb).ConfigureAwait(false);

    private static PipelineException Wrap(ServiceBusException ex, string what)
    {
        var reason = ex.Reason is ServiceBusFailureReason.MessageLockLost or ServiceBusFailureReason.SessionLockLost
            ? PipelineErrorReason.LeaseLost
            : ex.IsTransient ? PipelineErrorReason.ServiceUnavailable : PipelineErrorReason.Configuration;
        return new PipelineException(reason, $"{what}: {ex.Reason}: {ex.Message}", ex);
    }

    private sealed class Delivery(ServiceBusJobQueue owner, ServiceBusReceivedMessage message) : IJobDelivery
    {
        public string MessageId => message.MessageId;

        public int DeliveryCount => message.DeliveryCount;

        public BinaryData Body => message.Body;

        public DateTimeOffset LeaseExpiresAt { get; private set; } = message.LockedUntil;

        public async Task RenewLeaseAsync(CancellationToken cancellationToken = default)
        {
            await owner.Call(() => owner._receiver.RenewMessageLockAsync(message, cancellationToken), "renew a lock on").ConfigureAwait(false);
            LeaseExpiresAt = message.LockedUntil;
        }

        public Task CompleteAsync(CancellationToken cancellationToken = default)
            => owner.Call(() => owner._receiver.CompleteMessageAsync(message, cancellationToken), "complete on");

        public Task AbandonAsync(CancellationToken cancellationToken = default)
            => owner.Call(() => owner._receiver.AbandonMessageAsync(message, cancellationToken: cancellationToken), "abandon on");

        public Task DeadLetterAsync(string reason, string description, CancellationToken cancellationToken = default)
            => owner.Call(() => owner._receiver.DeadLetterMessageAsync(message, Truncate(reason, 128), Truncate(description, 1024), cancellationToken), "dead-letter on");

        private static string Truncate(string s, int max) => s.Length <= max ? s : s[..max];
    }
}
