using MRISpineSeg.Pipeline.Hosting;
using MRISpineSeg.Pipeline.Queues;

namespace MRISpineSeg.EndToEnd.Tests.Support.Transports;

/// <summary>
/// A job transport the shared behaviour suites run on (<see cref="Pipeline.WorkerContract"/>,
/// <see cref="Pipeline.JobQueueContract"/>): it makes the pipeline's own <see cref="IJobQueue"/> for a test's queue and
/// can put a raw body on that queue, as a foreign or broken producer would.
/// </summary>
public abstract class TransportUnderTest
{
    /// <summary>Creates the queue on the transport (with the options' lease and delivery limit) and the pipeline's client for it.</summary>
    public abstract Task<IJobQueue> CreateAsync(PipelineClients clients, PipelineSettings options);

    /// <summary>Sends a body the pipeline did not write (not JSON, wrong schema) straight onto the queue.</summary>
    public abstract Task SendRawAsync(TestPipeline pipeline, BinaryData body);

    /// <summary>Removes what <see cref="CreateAsync"/> made.</summary>
    public abstract Task DeleteAsync(TestPipeline pipeline);
}

/// <summary>Azure Storage Queues on Azurite: the local transport.</summary>
public sealed class StorageQueueTransport : TransportUnderTest
{
    public override async Task<IJobQueue> CreateAsync(PipelineClients clients, PipelineSettings options)
    {
        var queue = new StorageQueueJobQueue(clients.Queues, options.JobQueueName, options.Lease);
        await queue.CreateIfNotExistsAsync();
        return queue;
    }

    public override async Task DeleteAsync(TestPipeline pipeline)
    {
        await pipeline.Clients.Queues.DeleteQueueAsync(pipeline.Options.JobQueueName);
        await pipeline.Clients.Queues.DeleteQueueAsync(StorageQueueJobQueue.PoisonQueueName(pipeline.Options.JobQueueName));
    }

    public override async Task SendRawAsync(TestPipeline pipeline, BinaryData body)
        => await pipeline.Clients.Queues.GetQueueClient(pipeline.Queue.Name).SendMessageAsync(body);
}
