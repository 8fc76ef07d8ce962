using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using MRISpineSeg.Pipeline.Contracts;
using MRISpineSeg.Pipeline.Hosting;
using MRISpineSeg.Pipeline.Queues;
using MRISpineSeg.Pipeline.Status;

namespace MRISpineSeg.Pipeline.Storage;

/// <summary>
/// Blob containers, tables and queues of the pipeline over one set of clients; creates them all for local runs.
/// <para>
/// <b>Ground truth is never served</b>, whichever host asks: <see cref="Container"/> refuses
/// <see cref="ContainerNames.GroundTruth"/> (<see cref="PipelineErrorReason.PrivateData"/>). The organiser's upload
/// goes through <see cref="UploadGroundTruthAsync"/>, which can only write, and the scorer's process-private cache
/// (<see cref="GroundTruthCache"/>) is the one reader, inside this library.
/// </para>
/// </summary>
public sealed class PipelineStorage(PipelineClients clients)
{
    public PipelineClients Clients { get; } = clients ?? throw new ArgumentNullException(nameof(clients));

    /// <summary>A container's client, for every container but the private ground truth.</summary>
    /// <exception cref="PipelineException">The ground-truth container (<see cref="PipelineErrorReason.PrivateData"/>).</exception>
    public BlobContainerClient Container(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (IsGroundTruth(name))
        {
            throw new PipelineException(
                PipelineErrorReason.PrivateData,
                $"{ContainerNames.GroundTruth} is private: ground truth is never downloaded, listed or served; only the scorer reads it (upload with UploadGroundTruthAsync)");
        }

        return Clients.Blobs.GetBlobContainerClient(name);
    }

    /// <summary>Uploads (overwrites) one ground-truth volume: the organiser's way in, write-only.</summary>
    public async Task UploadGroundTruthAsync(string blobName, Stream content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        BlobLayout.ValidatePath(blobName);
        try
        {
            await GroundTruthContainer().GetBlobClient(blobName).UploadAsync(content, overwrite: true, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (StorageErrors.IsStorageFailure(ex))
        {
            throw StorageErrors.Wrap(ex, $"upload {ContainerNames.GroundTruth}/{blobName}");
        }
    }

    /// <summary>The ground-truth container itself: for the scorer's cache only.</summary>
    internal BlobContainerClient GroundTruthContainer() => Clients.Blobs.GetBlobContainerClient(ContainerNames.GroundTruth);

    private static bool IsGroundTruth(string name) => string.Equals(name.Trim().TrimEnd('/'), ContainerNames.GroundTruth, StringComparison.OrdinalIgnoreCase);

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
                await Clients.Blobs.GetBlobContainerClient(c).CreateIfNotExistsAsync(PublicAccessType.None, cancellationToken: cancellationToken).ConfigureAwait(false);
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
