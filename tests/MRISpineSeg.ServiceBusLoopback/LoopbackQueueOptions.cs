namespace MRISpineSeg.ServiceBusLoopback;

/// <summary>The queue properties Service Bus keeps per entity (what <c>infra/app/servicebus.bicep</c> sets in Azure).</summary>
public sealed record LoopbackQueueOptions
{
    /// <summary>How long a peek-lock holds a message unless renewed. Azure's default is 60 s.</summary>
    public TimeSpan LockDuration { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>A message whose lock ends (expiry or abandon) after this many deliveries goes to the dead-letter sub-queue. Azure's default is 10.</summary>
    public int MaxDeliveryCount { get; init; } = 10;

    /// <summary>When set, a second message with a MessageId seen within this window is accepted and dropped (Azure's duplicate detection).</summary>
    public TimeSpan? DuplicateDetectionWindow { get; init; }

    /// <summary>Announced on sender links as the attach max-message-size; larger messages are refused. Standard tier: 256 KB.</summary>
    public ulong MaxMessageSizeBytes { get; init; } = 256 * 1024;
}
