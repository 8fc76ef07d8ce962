namespace MRISpineSeg.ServiceBusLoopback;

/// <summary>A snapshot of one queue: what it holds now and what has happened to it, for assertions in tests.</summary>
/// <param name="Active">Messages in the queue, locked or not.</param>
/// <param name="Locked">Messages under a peek-lock right now.</param>
/// <param name="DeadLettered">Messages in the dead-letter sub-queue.</param>
/// <param name="Sent">Messages accepted from senders (duplicates dropped by duplicate detection not counted).</param>
/// <param name="Deliveries">Peek-lock deliveries made.</param>
/// <param name="Completions">Settled as complete (accepted).</param>
/// <param name="Abandons">Settled as abandon (modified).</param>
/// <param name="LockRenewals">Successful <c>com.microsoft:renew-lock</c> requests, counted per token.</param>
/// <param name="LockExpiries">Locks that ran out before settlement.</param>
/// <param name="DuplicatesDropped">Messages dropped by duplicate detection.</param>
public sealed record QueueStats(
    int Active,
    int Locked,
    int DeadLettered,
    long Sent,
    long Deliveries,
    long Completions,
    long Abandons,
    long LockRenewals,
    long LockExpiries,
    long DuplicatesDropped);
