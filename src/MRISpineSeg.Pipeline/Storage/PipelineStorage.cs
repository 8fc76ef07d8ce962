using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using MRISpineSeg.Pipeline.Contracts;
using MRISpineSeg.Pipeline.Hosting;
using MRISpineSeg.Pipeline.Queues;
using MRISpineSeg.Pipeline.Status;
using MRISpineSeg.Pipeline.Handlers;
using MRISpineSeg.Pipeline.Jobs;
using MRISpineSeg.Pipeline.Outcomes;
using MRISpineSeg.Pipeline.Ports;

namespace MRISpineSeg.Pipeline.Storage;

/// <summary>Blob containers, tables and queues of the pipeline over one set of clients; creates them all for local runs.</summary>
public sealed class PipelineStorage(PipelineClients clients)
{
    public PipelineClients Clients { get; } = clients ?? throw new ArgumentNullException(nameof(clients));

    public BlobContainerClient Container(string name) => Clients.Blobs.GetBlobContainerClient(name);

    /// <summary>
    /// Creates every container and table, and the storage queue <paramref name="jobQueueName"/> with its poison queue
    /// (pass null on Service Bus deployments, where infra owns the queue). Idempotent.
    /// </summary>
    public async Task EnsureCreatedAsync(string? jobQueueName, CancellationToken cancellationToken = default)
    {
        try
        {
            foreach (var c in ContainerNames.All)
            {
                await Container(c).CreateIfNotExistsAsync(PublicAccessType.None, cancellationToken: cancellationToken).ConfigureAwait(false);
            }

            foreach (var t in TableNames.All)
            {
                await Clients.Tables.CreateTableIfNotExistsAsync(t, cancellationToken).ConfigureAwait(false);
            }

            if (jobQueueName is not null)
                await StorageQueueJobQueue.CreateIfNotExistsAsync(Clients.Queues, jobQueueName, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (StorageErrors.IsStorageFailure(ex))
        {
            throw StorageErrors.Wrap(ex, "create the pipeline's containers, tables and queues");
        }
    }

    public JobStatusStore JobStatus() => new(Clients.Tables);

    /// <summary>The properties of <c>container/name</c>, or null when there is no such blob; other failures are wrapped naming it.</summary>
    public async Task<BlobProperties?> TryGetPropertiesAsync(string container, string name, CancellationToken cancellationToken)
    {
        try
        {
            return (await Container(container).GetBlobClient(name).GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Value;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
        catch (Exception ex) when (StorageErrors.IsStorageFailure(ex))
        {
            throw StorageErrors.Wrap(ex, $"read properties of {container}/{name}");
        }
    }

    /// <summary>Writes <paramref name="content"/> to <c>container/name</c>, replacing what is there, as <paramref name="contentType"/>.</summary>
    public async Task WriteAsync(string container, string name, byte[] content, string contentType, IDictionary<string, string>? metadata, CancellationToken cancellationToken)
    {
        var options = new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = contentType }, Metadata = metadata };
        try
        {
            try
            {
                await Container(container).GetBlobClient(name).UploadAsync(new BinaryData(content), options, cancellationToken).ConfigureAwait(false);
            }
            catch (RequestFailedException ex) when (ex.ErrorCode == "ContainerNotFound")
            {
                // An output container deleted under a running host (by hand, or a bad cleanup): create it again rather
                // than fail every job from now on. Only our own output containers are ever written here.
                await Container(container).CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
                await Container(container).GetBlobClient(name).UploadAsync(new BinaryData(content), options, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (StorageErrors.IsStorageFailure(ex))
        {
            throw StorageErrors.Wrap(ex, $"write {container}/{name}");
        }
    }
}
