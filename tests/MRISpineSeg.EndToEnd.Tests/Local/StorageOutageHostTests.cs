using Microsoft.Extensions.Logging.Abstractions;
using MRISpineSeg.EndToEnd.Tests.Support;
using MRISpineSeg.Pipeline.Contracts;
using MRISpineSeg.Cli.Local;

namespace MRISpineSeg.EndToEnd.Tests.Local;

/// <summary>
/// Issue 13 F2 on a real Azurite behind a fault-injecting proxy: the local host (watchers and worker) must outlive
/// storage that accepts connections and never answers, and a deleted output container, and resume on its own.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class StorageOutageHostTests(Azurite azurite)
{
    [Fact]
    public async Task TheHostShouldOutliveHangingStorageAndADeletedContainerAndResume()
    {
        // Blob, queue and table endpoints each behind a proxy: the whole storage account hangs, as in the finding.
        await using var blobs = SwitchableProxy.Start(Azurite.EndpointPort(azurite.ConnectionString, "BlobEndpoint"));
        await using var queues = SwitchableProxy.Start(Azurite.EndpointPort(azurite.ConnectionString, "QueueEndpoint"));
        await using var tables = SwitchableProxy.Start(Azurite.EndpointPort(azurite.ConnectionString, "TableEndpoint"));
        var proxied = Azurite.ConnectionStringFor(blobs.Port, queues.Port, tables.Port);
        await using var p = await TestPipeline.StartAsync(azurite, storageConnectionString: proxied, idleExitSeconds: 0, networkTimeoutSeconds: 1);
        var host = new LocalPipelineHost(p.Storage, p.Options, p.Uploads, scoring: null, p.Worker(), NullLogger<LocalPipelineHost>.Instance)
        {
            WatchPrefix = p.Prefix,
            PollInterval = TimeSpan.FromMilliseconds(200),
        };
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(3));

        var running = host.RunAsync(stop.Token);
        await Task.Delay(TimeSpan.FromSeconds(1));
        foreach (var proxy in new[] { blobs, queues, tables }) proxy.Hang(); // mid-run: connections accepted, never answered
        await Task.Delay(TimeSpan.FromSeconds(12)); // several listings give up after the SDK's 4 tries of 1 s
        Assert.False(running.IsCompleted, $"the host ended while storage hung: {running.Exception}");

        foreach (var proxy in new[] { blobs, queues, tables }) proxy.Answer();
        await p.Storage.Container(ContainerNames.Masks).DeleteIfExistsAsync(); // and an output container vanishes
        var bad = await p.UploadScanAsync("Bad.nii.gz", TestVolumes.NotAVolume());
        var good = await p.UploadScanAsync("Good.nii.gz", TestVolumes.ScanNiiGz());

        await WaitForAsync(p, BlobLayout.ScanErrorName(bad), running);
        await WaitForAsync(p, BlobLayout.MaskName(good), running);
        Assert.False(running.IsCompleted);
        await stop.CancelAsync();
        try
        {
            await running;
        }
        catch (OperationCanceledException)
        {
            // the normal end
        }
    }

    private static async Task WaitForAsync(TestPipeline p, string maskContainerBlob, Task running)
    {
        for (var i = 0; i < 240; i++)
        {
            if (running.IsCompleted) Assert.Fail($"the host ended: {running.Exception?.GetBaseException().Message}");
            try
            {
                if (await p.ExistsAsync(ContainerNames.Masks, maskContainerBlob)) return;
            }
            catch (Azure.RequestFailedException)
            {
                // the container is being recreated
            }

            await Task.Delay(250);
        }

        Assert.Fail($"masks/{maskContainerBlob} did not appear within 60 s");
    }
}
