using Azure.Storage.Blobs;
using Microsoft.Extensions.Logging.Abstractions;
using MRISpineSeg.EndToEnd.Tests.Support;
using MRISpineSeg.Pipeline.Contracts;
using MRISpineSeg.Pipeline.Handlers;
using MRISpineSeg.Pipeline.Hosting;
using MRISpineSeg.Pipeline.Queues;
using MRISpineSeg.Pipeline.Storage;
using MRISpineSeg.Pipeline.Jobs;
using MRISpineSeg.Pipeline.Outcomes;
using MRISpineSeg.Pipeline.Ports;

namespace MRISpineSeg.Functions.Tests;

[Collection(AzuriteCollection.Name)]
public sealed class ScanUploadedTests(Azurite azurite)
{
    [Fact]
    public async Task TriggerShouldHandTheBlobToTheUploadHandler()
    {
        var clients = PipelineClients.Create(new StorageOptions { ConnectionString = azurite.ConnectionString });
        var storage = new PipelineStorage(clients);
        var options = new PipelineSettings { JobQueueName = "fn-" + Guid.NewGuid().ToString("N")[..12] };
        await storage.EnsureCreatedAsync(options.JobQueueName);
        var queue = new StorageQueueJobQueue(clients.Queues, options.JobQueueName, options.Lease);
        var function = new ScanUploaded(new ScanUploadedHandler(storage, queue, options, NullLogger<ScanUploadedHandler>.Instance), NullLogger<ScanUploaded>.Instance);
        var name = $"f{Guid.NewGuid():N}/Case1.nii";
        await storage.Container(ContainerNames.Scans).GetBlobClient(name).UploadAsync(new BinaryData("not a volume"u8.ToArray()));

        var result = await function.RunAsync(new BlobClient(azurite.ConnectionString, ContainerNames.Scans, name), CancellationToken.None);

        Assert.Equal(ScanUploadedOutcome.Rejected, result.Outcome);
        Assert.True((await storage.Container(ContainerNames.Masks).GetBlobClient(BlobLayout.ScanErrorName(name)).ExistsAsync()).Value);
        await clients.Queues.DeleteQueueAsync(options.JobQueueName);
    }
}
