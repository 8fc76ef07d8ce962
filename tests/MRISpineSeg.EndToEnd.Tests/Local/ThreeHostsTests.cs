using Microsoft.Extensions.Logging.Abstractions;
using MRISpineSeg.EndToEnd.Tests.Support;
using MRISpineSeg.Pipeline.Contracts;
using MRISpineSeg.Pipeline.Handlers;
using MRISpineSeg.Cli.Local;
using MRISpineSeg.Pipeline.Status;
using MRISpineSeg.Pipeline.Jobs;
using MRISpineSeg.Pipeline.Outcomes;
using MRISpineSeg.Pipeline.Ports;
using MRISpineSeg.Pipeline.Storage;

namespace MRISpineSeg.EndToEnd.Tests.Local;

/// <summary>
/// Issue 13 F8 as found: three local hosts on one Azurite, each watching the same uploads and running a worker. Before
/// jobs were claimed, 30 scans gave 50 segmentations; every scan must be segmented exactly once.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ThreeHostsTests(Azurite azurite)
{
    [Fact]
    public async Task ThreeHostsShouldSegmentEachOfThirtyScansExactlyOnce()
    {
        await using var p = await TestPipeline.StartAsync(azurite, idleExitSeconds: 3);
        var names = new List<string>();
        for (var i = 1; i <= 30; i++) names.Add(await p.UploadScanAsync($"Case{i}.nii.gz", TestVolumes.ScanNiiGz()));
        var hosts = Enumerable.Range(0, 3).Select(_ => new LocalPipelineHost(
            p.Storage,
            p.Options,
            new ScanUploadedHandler(p.Storage, p.Queue, p.Options, NullLogger<ScanUploadedHandler>.Instance),
            scoring: null,
            new JobReceiveLoop(p.Queue, new JobDeliverySettler(new SegmentScanHandler(p.Storage, p.Segmenter, p.Options, NullLogger<SegmentScanHandler>.Instance), p.Storage, p.Options, NullLogger<JobDeliverySettler>.Instance), p.Options, NullLogger<JobReceiveLoop>.Instance),
            NullLogger<LocalPipelineHost>.Instance)
        {
            WatchPrefix = p.Prefix,
            PollInterval = TimeSpan.FromMilliseconds(100),
        }).ToList();

        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await Task.WhenAll(hosts.Select(h => h.RunAsync(limit.Token)));

        Assert.Equal(30, p.Segmenter.Calls);
        foreach (var name in names)
        {
            Assert.True(await p.ExistsAsync(ContainerNames.Masks, BlobLayout.MaskName(name)), name);
            Assert.False(await p.ExistsAsync(ContainerNames.Masks, BlobLayout.ScanErrorName(name)), name);
        }

        var jobIds = new HashSet<string>();
        await foreach (var row in p.Clients.Tables.GetTableClient(TableNames.Jobs).QueryAsync<Azure.Data.Tables.TableEntity>(e => e.RowKey == string.Empty))
        {
            if (row.GetString("BlobName") is { } b && b.StartsWith(p.Prefix, StringComparison.Ordinal))
            {
                jobIds.Add(row.PartitionKey);
                Assert.Equal(nameof(JobState.Succeeded), row.GetString("State"));
            }
        }

        Assert.Equal(30, jobIds.Count);
    }
}
