using MRISpineSeg.Pipeline.Storage;
using System.Text.Json;
using Azure;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using MRISpineSeg.Pipeline.Contracts;

namespace MRISpineSeg.Pipeline.Queues;

/// <summary>
/// The job queue on Azure Storage Queues (local runs on Azurite). Storage queues have no locks or dead-letter
/// sub-queue, so: the lease is the visibility timeout (renewed by <c>UpdateMessage</c>, which yields a new pop
/// receipt), and a dead letter is a JSON envelope on <c>&lt;queue&gt;-poison</c> followed by a delete.
/// Storage queues do not long-poll: a receive polls with a short back-off until the wait is over.
/// </summary>
public sealed class StorageQueueJobQueue : IJobQueue
{
    private static readonly TimeSpan MinPoll = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MaxPoll = TimeSpan.FromSeconds(1);

    private readonly QueueClient _queue;
    private readonly QueueClient _poison;
    private readonly TimeSpan _lease;

    public StorageQueueJobQueue(QueueServiceClient service, string queueName, TimeSpan lease)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentException.ThrowIfNullOrEmpty(queueName);
        _queue = service.GetQueueClient(queueName);
        _poison = service.GetQueueClient(PoisonQueueName(queueName));
        _lease = lease;
    }

    public string Name => _queue.Name;

    /// <summary>Where dead letters of <paramref name="queueName"/> go.</summary>
    public static string PoisonQueueName(string queueName) => queueName + "-poison";

    /// <summary>Creates the queue and its poison queue if missing.</summary>
    public Task CreateIfNotExistsAsync(CancellationToken cancellationToken = default) => CreateIfNotExistsAsync(_queue, _poison, cancellationToken);

    /// <summary>Creates queue <paramref name="queueName"/> and its poison queue if missing (no lease involved).</summary>
    public static Task CreateIfNotExistsAsync(QueueServiceClient service, string queueName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentException.ThrowIfNullOrEmpty(queueName);
        return CreateIfNotExistsAsync(service.GetQueueClient(queueName), service.GetQueueClient(PoisonQueueName(queueName)), cancellationToken);
    }

    private static async Task CreateIfNotExistsAsync(QueueClient queue, QueueClient poison, CancellationToken cancellationToken)
    {
        await queue.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        await poison.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    public async Task SendAsync(JobMessage message, CancellationToken cancellationToken = default)
    {
        var body = BinaryData.FromBytes(JobMessageCodec.Serialize(message));
        await Call(() => _queue.SendMessageAsync(body, cancellationToken: cancellationToken), "send to").ConfigureAwait(false);
    }

    public async Task<IJobDelivery?> ReceiveAsync(TimeSpan maxWait, CancellationToken cancellationToken = default)
    {
        var deadline = DateTimeOffset.UtcNow + maxWait;
        var delay = MinPoll;
        while (true)
        {
            var response = await Call(() => _queue.ReceiveMessageAsync(_lease, cancellationToken), "receive from").ConfigureAwait(false);
            if (response.Value is { } m)
                return new Delivery(this, m);
            var left = deadline - DateTimeOffset.UtcNow;
            if (left <= TimeSpan.Zero) return null;
            await Task.Delay(left < delay ? left : delay, cancellationToken).ConfigureAwait(false);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxPoll.Ticks));
        }
    }

    public async Task<IReadOnlyList<DeadLetteredJob>> PeekDeadLettersAsync(int max, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        var peeked = await Call(() => _poison.PeekMessagesAsync(Math.Min(max, 32), cancellationToken), "peek").ConfigureAwait(false);
        var list = new List<DeadLetteredJob>(peeked.Value.Length);
        foreach (var p in peeked.Value)
        {
            list.Add(PoisonEnvelope.Read(p.Body));
        }

        return list;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private async Task<T> Call<T>(Func<Task<T>> call, string verb)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (Exception ex) when (StorageErrors.IsStorageFailure(ex))
        {
            throw StorageErrors.Wrap(ex, $"{verb} queue \"{_queue.Name}\"");
        }
    }

    private sealed class Delivery(StorageQueueJobQueue owner, QueueMessage message) : IJobDelivery
    {
        private string _popReceipt = message.PopReceipt;
        private bool _settled;

        public string MessageId => message.MessageId;

        public int DeliveryCount => (int)Math.Min(int.MaxValue, message.DequeueCount);

        public BinaryData Body => message.Body;

        public DateTimeOffset LeaseExpiresAt { get; private set; } = message.NextVisibleOn ?? DateTimeOffset.UtcNow + owner._lease;

        public async Task RenewLeaseAsync(CancellationToken cancellationToken = default)
        {
            var r = await Settle(() => owner._queue.UpdateMessageAsync(message.MessageId, _popReceipt, visibilityTimeout: owner._lease, cancellationToken: cancellationToken), "renew", final: false).ConfigureAwait(false);
            _popReceipt = r.Value.PopReceipt;
            LeaseExpiresAt = r.Value.NextVisibleOn;
        }

        public Task CompleteAsync(CancellationToken cancellationToken = default)
            => Settle(() => owner._queue.DeleteMessageAsync(message.MessageId, _popReceipt, cancellationToken), "complete", final: true);

        public Task AbandonAsync(CancellationToken cancellationToken = default)
            => Settle(() => owner._queue.UpdateMessageAsync(message.MessageId, _popReceipt, visibilityTimeout: TimeSpan.Zero, cancellationToken: cancellationToken), "abandon", final: true);

        public async Task DeadLetterAsync(string reason, string description, CancellationToken cancellationToken = default)
        {
            var envelope = PoisonEnvelope.Write(reason, description, message.Body, DeliveryCount);
            await owner.Call(() => owner._poison.SendMessageAsync(envelope, cancellationToken: cancellationToken), "dead-letter to").ConfigureAwait(false);
            await Settle(() => owner._queue.DeleteMessageAsync(message.MessageId, _popReceipt, cancellationToken), "dead-letter", final: true).ConfigureAwait(false);
        }

        private async Task<T> Settle<T>(Func<Task<T>> call, string verb, bool final)
        {
            if (_settled) throw new InvalidOperationException($"message {message.MessageId} was already settled; {verb} is not allowed");
            try
            {
                var r = await call().ConfigureAwait(false);
                if (final) _settled = true;
                return r;
            }
            catch (RequestFailedException ex) when (ex.Status is 404 or 400 && ex.ErrorCode is "MessageNotFound" or "PopReceiptMismatch" or null)
            {
                throw new PipelineException(PipelineErrorReason.LeaseLost, $"queue \"{owner.Name}\": message {message.MessageId}: the lease ended before {verb} (another delivery owns it now)", ex);
            }
            catch (Exception ex) when (StorageErrors.IsStorageFailure(ex))
            {
                throw StorageErrors.Wrap(ex, $"{verb} message {message.MessageId} on queue \"{owner.Name}\"");
            }
        }
    }

    /// <summary>The JSON envelope a dead letter is kept in on the poison queue.</summary>
    private static class PoisonEnvelope
    {
        public static BinaryData Write(string reason, string description, BinaryData body, int deliveryCount)
            => BinaryData.FromObjectAsJson(new Envelope(reason, description, deliveryCount, DateTimeOffset.UtcNow, body.ToString()));

        public static DeadLetteredJob Read(BinaryData data)
        {
            try
            {
                var e = data.ToObjectFromJson<Envelope>() ?? throw new JsonException("null");
                return new DeadLetteredJob(e.Reason, e.Description, BinaryData.FromString(e.Body), e.DeliveryCount);
            }
            catch (JsonException)
            {
                return new DeadLetteredJob("Unknown", "the poison message is not an envelope written by this pipeline", data, 0);
            }
        }

        private sealed record Envelope(string Reason, string Description, int DeliveryCount, DateTimeOffset DeadLetteredAt, string Body);
    }
}
