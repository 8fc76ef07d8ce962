namespace MRISpineSeg.Pipeline.Jobs;

/// <summary>How one delivery was settled by <see cref="JobDeliverySettler"/>.</summary>
public enum ProcessOutcome
{
    /// <summary>Outputs written (or already there) and the message completed.</summary>
    Completed,

    /// <summary>A transient failure: the message was abandoned and will be delivered again.</summary>
    Abandoned,

    /// <summary>A permanent failure (or too many deliveries): dead-lettered with a reason, error blob written, status failed.</summary>
    DeadLettered,

    /// <summary>The lease was lost mid-job; nothing was settled and another delivery will follow.</summary>
    LeaseLost,
}
