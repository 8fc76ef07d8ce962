using MRISpineSeg.Pipeline.Contracts;

namespace MRISpineSeg.Pipeline.Queues;

/// <summary>
/// The job queue, whatever carries it. One contract for both transports:
/// <list type="bullet">
/// <item>a received message is leased (Service Bus peek-lock; storage-queue invisibility) and must be settled;</item>
/// <item>an unsettled lease expires and the message is delivered again with a higher <see cref="IJobDelivery.DeliveryCount"/>;</item>
/// <item>dead-lettered messages keep their reason and can be read back with <see cref="PeekDeadLettersAsync"/>.</item>
/// </list>
/// </summary>
public interface IJobQueue : IAsyncDisposable
{
    /// <summary>The queue name, e.g. <c>segmentation-jobs</c>.</summary>
    string Name { get; }

    /// <summary>Sends a job; the transport's MessageId is <see cref="JobMessage.JobId"/>.</summary>
    Task SendAsync(JobMessage message, CancellationToken cancellationToken = default);

    /// <summary>Waits up to <paramref name="maxWait"/> for one message; null when none came.</summary>
    Task<IJobDelivery?> ReceiveAsync(TimeSpan maxWait, CancellationToken cancellationToken = default);

    /// <summary>Reads (without removing) up to <paramref name="max"/> dead-lettered messages.</summary>
    Task<IReadOnlyList<DeadLetteredJob>> PeekDeadLettersAsync(int max, CancellationToken cancellationToken = default);
}
