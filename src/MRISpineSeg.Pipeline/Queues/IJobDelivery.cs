namespace MRISpineSeg.Pipeline.Queues;

/// <summary>
/// One leased delivery of a message. Settle it exactly once: complete, abandon or dead-letter. Settling or renewing
/// after the lease was lost throws <see cref="PipelineException"/> with <see cref="PipelineErrorReason.LeaseLost"/>.
/// </summary>
public interface IJobDelivery
{
    /// <summary>Transport message id (the job id on Service Bus; the storage queue's own id there).</summary>
    string MessageId { get; }

    /// <summary>1 on the first delivery.</summary>
    int DeliveryCount { get; }

    /// <summary>The raw body, parsed by <see cref="Contracts.JobMessageCodec"/>.</summary>
    BinaryData Body { get; }

    /// <summary>When the current lease ends unless renewed (UTC).</summary>
    DateTimeOffset LeaseExpiresAt { get; }

    /// <summary>Extends the lease (Service Bus lock renewal; storage-queue visibility update).</summary>
    Task RenewLeaseAsync(CancellationToken cancellationToken = default);

    /// <summary>Removes the message: the work is done.</summary>
    Task CompleteAsync(CancellationToken cancellationToken = default);

    /// <summary>Releases the lease now so that the message is delivered again.</summary>
    Task AbandonAsync(CancellationToken cancellationToken = default);

    /// <summary>Moves the message aside with a reason code and a description; it is never delivered again.</summary>
    Task DeadLetterAsync(string reason, string description, CancellationToken cancellationToken = default);
}
