namespace MRISpineSeg.Pipeline.Queues;

/// <summary>A message that was taken out of circulation, with why.</summary>
/// <param name="Reason">A short code, e.g. <c>InvalidMessage</c>, <c>InvalidUpload</c>, <c>MaxDeliveryCountExceeded</c>.</param>
/// <param name="Description">What went wrong, naming the blob or field.</param>
/// <param name="Body">The original message body.</param>
/// <param name="DeliveryCount">Deliveries before it was dead-lettered.</param>
public sealed record DeadLetteredJob(string Reason, string Description, BinaryData Body, int DeliveryCount);
