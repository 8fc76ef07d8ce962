namespace MRISpineSeg.Pipeline.Hosting;

/// <summary>Which queue carries jobs. Both honour the same receive/settle contract (<see cref="Queues.IJobQueue"/>).</summary>
public enum JobTransport
{
    /// <summary>Azure Storage Queues: local runs on Azurite.</summary>
    StorageQueue,

    /// <summary>Azure Service Bus: production.</summary>
    ServiceBus,
}
