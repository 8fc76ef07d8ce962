using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using MRISpineSeg.EndToEnd.Tests.Support;
using MRISpineSeg.Imaging;
using MRISpineSeg.Imaging.Geometry;
using MRISpineSeg.Imaging.Volumes;
using MRISpineSeg.Pipeline.Contracts;
using MRISpineSeg.Cli.Local;
using MRISpineSeg.Pipeline.Status;
using Xunit.Abstractions;

namespace MRISpineSeg.EndToEnd.Tests.Pipeline;

/// <summary>
/// Many uploads at once through the watcher, the queue and two competing workers: none lost, none done twice.
/// Prints throughput and the pipeline's own time per scan (the segmenter double costs only the scan read and
/// mask write, so what remains is the pipeline's overhead).
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class LoadTests(Azurite azurite, ITestOutputHelper output)
{
    private const int Scans = 50;

    [Fact]
    public async Task FiftyUploadsAtOnceShouldAllComeThroughOnceWithTwoWorkers()
    {
        await using var p = await TestPipeline.StartAsync(azurite, leaseSeconds: 30);
        var scan = ScanBytes();
        var names = Enumerable.Range(1, Scans).Select(i => $"{p.Prefix}Case{i}.nii.gz").ToArray();
        var total = Stopwatch.StartNew();
        await Parallel.ForEachAsync(names, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (n, ct) =>
            await p.Blob(ContainerNames.Scans, n).UploadAsync(new BinaryData(scan), ct));
        var uploadMs = total.Elapsed.TotalMilliseconds;

        var watcher = new ContainerWatcher(p.Storage, new UploadReceipts(p.Clients.Tables), ContainerNames.Scans,
            async (n, ct) => (await p.Uploads.HandleAsync(n, ct)).Outcome.ToString(), NullLogger.Instance) { Prefix = p.Prefix };
        var watch = Stopwatch.StartNew();
        var seen = await watcher.ScanOnceAsync();
        var watchMs = watch.Elapsed.TotalMilliseconds;
        var work = Stopwatch.StartNew();
        var summaries = await Task.WhenAll(p.Worker().RunAsync(), p.Worker().RunAsync());
        var workMs = work.Elapsed.TotalMilliseconds - (p.Options.IdleExitSeconds * 1000.0);

        Assert.Equal(Scans, seen);
        Assert.Equal(Scans, summaries.Sum(s => s.Completed));
        Assert.Equal(0, summaries.Sum(s => s.DeadLettered + s.Abandoned + s.LeaseLost));
        Assert.Equal(Scans, p.Segmenter.Calls);
        var totals = new List<double>();
        foreach (var n in names)
        {
            var mask = (await p.Blob(ContainerNames.Masks, BlobLayout.MaskName(n)).GetPropertiesAsync()).Value;
            Assert.Equal(mask.CreatedOn, mask.LastModified);
            var status = (await p.Status.GetAsync(mask.Metadata[BlobLayout.JobIdMetadata]))!;
            Assert.Equal(JobState.Succeeded, status.State);
            Assert.Equal(1, status.Attempts);
            totals.Add(status.TotalMs!.Value - status.SegmentMs!.Value);
        }

        Assert.Null(await p.Queue.ReceiveAsync(TimeSpan.FromMilliseconds(300)));

        // Baseline in the same run: the same segmenter on the same bytes in-process, no storage, no queue.
        var direct = new ThresholdSegmenterDouble();
        var baseline = Stopwatch.StartNew();
        for (var i = 0; i < Scans; i++)
        {
            using var ms = new MemoryStream(scan, writable: false);
            await direct.SegmentAsync(ms, "scan.nii.gz");
        }

        var baselineMs = baseline.Elapsed.TotalMilliseconds / Scans;
        var perScanMs = workMs * 2 / Scans; // two workers in parallel: worker-time per scan
        totals.Sort();
        output.WriteLine($"baseline in-process segment {baselineMs:F1} ms/scan; through the pipeline {perScanMs:F1} worker-ms/scan (ratio {perScanMs / baselineMs:F2})");
        output.WriteLine($"{Scans} scans of {scan.Length} bytes: upload {uploadMs:F0} ms, watcher+queue {watchMs:F0} ms ({watchMs / Scans:F1} ms/scan), " +
                         $"workers {workMs:F0} ms ({Scans * 1000.0 / workMs:F1} scans/s with 2 workers); per-scan worker overhead (total - segment) " +
                         $"median {totals[Scans / 2]:F1} ms, p95 {totals[(int)(Scans * 0.95)]:F1} ms");
    }

    /// <summary>A scan of the challenge's size (512×512×12 int16) with a smooth body so it compresses like real data.</summary>
    private static byte[] ScanBytes()
    {
        var shape = new Shape3(512, 512, 12);
        var data = new short[shape.Count];
        var rng = new Random(7);
        for (var z = 0; z < shape.Z; z++)
        for (var y = 0; y < shape.Y; y++)
        for (var x = 0; x < shape.X; x++)
            data[shape.Index(x, y, z)] = (short)(((x - 256) * (x - 256)) + ((y - 256) * (y - 256)) < 150 * 150 ? 800 + rng.Next(200) : rng.Next(40));
        return TestVolumes.Bytes(new Volume(shape, new VoxelBuffer<short>(data), VolumeGeometry.FromSpacing(0.6, 0.6, 4.4)), "scan.nii.gz");
    }
}
