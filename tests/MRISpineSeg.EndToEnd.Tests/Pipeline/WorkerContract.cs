using MRISpineSeg.EndToEnd.Tests.Support;
using MRISpineSeg.EndToEnd.Tests.Support.Transports;
using MRISpineSeg.Pipeline.Contracts;
using MRISpineSeg.Pipeline.Handlers;
using MRISpineSeg.Pipeline.Status;
using MRISpineSeg.Pipeline.Jobs;
using MRISpineSeg.Pipeline.Outcomes;
using MRISpineSeg.Pipeline.Ports;
using MRISpineSeg.Pipeline.Storage;
using MRISpineSeg.Pipeline.Telemetry;

namespace MRISpineSeg.EndToEnd.Tests.Pipeline;

/// <summary>
/// The worker's delivery contract on real Azurite and real NIfTI bytes, written once and run on each transport
/// (<see cref="WorkerOnStorageQueueTests"/>, <see cref="WorkerOnServiceBusTests"/>): no double work, no lost jobs,
/// bad messages dead-lettered with a reason. The segmenter port is a test double here; the model's own tests cover masks.
/// </summary>
public abstract class WorkerContract(Azurite azurite, TransportUnderTest transport)
{
    private Task<TestPipeline> StartAsync(int leaseSeconds = 30, int maxDeliveryCount = 5, string? storageConnectionString = null)
        => TestPipeline.StartAsync(azurite, leaseSeconds, maxDeliveryCount, transport, storageConnectionString: storageConnectionString);

    [Fact]
    public async Task WorkerSpansShouldJoinTheUploadChecksTraceThroughTheQueue()
    {
        using var telemetry = new TelemetryCapture();
        await using var p = await StartAsync();
        var name = await p.UploadScanAsync("Case1.nii.gz", TestVolumes.ScanNiiGz());
        var queued = await p.Uploads.HandleAsync(name);

        await p.Processor.ProcessAsync(await p.ReceiveOneAsync());

        var check = telemetry.UploadCheckOf(name);
        var job = Assert.Single(telemetry.Trace(check.TraceId), s => s.OperationName == TelemetryStages.Job);
        Assert.Equal(check.SpanId, job.ParentSpanId);
        Assert.Equal(queued.JobId, job.GetTagItem(PipelineTelemetry.JobIdAttribute));
    }

    [Fact]
    public async Task JobShouldGoQueuedRunningSucceededWithTimingsAndMaskMetadata()
    {
        await using var p = await StartAsync();
        var name = await p.UploadScanAsync("Case1.nii.gz", TestVolumes.ScanNiiGz());
        var queued = await p.Uploads.HandleAsync(name);

        var outcome = await p.Processor.ProcessAsync(await p.ReceiveOneAsync());

        Assert.Equal(ProcessOutcome.Completed, outcome);
        var status = (await p.Status.GetAsync(queued.JobId!))!;
        Assert.Equal(JobState.Succeeded, status.State);
        Assert.Equal(1, status.Attempts);
        Assert.True(status.TotalMs > 0 && status.DownloadMs >= 0 && status.SegmentMs > 0 && status.UploadMs > 0);
        Assert.True(status.StartedAt >= status.QueuedAt && status.FinishedAt >= status.StartedAt);
        Assert.Equal(BlobLayout.MaskName(name), status.MaskBlob);
        var mask = (await p.Blob(ContainerNames.Masks, BlobLayout.MaskName(name)).GetPropertiesAsync()).Value;
        Assert.Equal(status.ETag!.Trim('"'), mask.Metadata[BlobLayout.SourceETagMetadata]);
        Assert.Equal(queued.JobId, mask.Metadata[BlobLayout.JobIdMetadata]);
        Assert.True(await p.ExistsAsync(ContainerNames.Masks, BlobLayout.PreviewName(name)));
        Assert.True(await p.ExistsAsync(ContainerNames.Masks, BlobLayout.StatsName(name)));
        Assert.Null(await p.Queue.ReceiveAsync(TimeSpan.FromMilliseconds(300)));
    }

    [Fact]
    public async Task SameJobDeliveredTwiceShouldSegmentOnceAndWriteTheMaskOnce()
    {
        await using var p = await StartAsync();
        var name = await p.UploadScanAsync("Case2.nii.gz", TestVolumes.ScanNiiGz());
        await p.Uploads.HandleAsync(name);
        var first = await p.ReceiveOneAsync();
        var job = JobMessageCodec.Parse(first.Body.ToMemory().Span);
        Assert.Equal(ProcessOutcome.Completed, await p.Processor.ProcessAsync(first));
        var mask = p.Blob(ContainerNames.Masks, BlobLayout.MaskName(name));
        var written = (await mask.GetPropertiesAsync()).Value.ETag;
        await p.Queue.SendAsync(job); // the transport delivers the same job again (at-least-once)
        await p.Queue.SendAsync(job);

        await p.Worker().RunAsync();

        Assert.Equal(1, p.Segmenter.Calls);
        // The ETag, not CreatedOn == LastModified: those are whole seconds, and a rewrite within the second would pass.
        Assert.Equal(written, (await mask.GetPropertiesAsync()).Value.ETag);
        Assert.Null(await p.Queue.ReceiveAsync(TimeSpan.FromMilliseconds(300)));
    }

    [Fact]
    public async Task WorkerStoppedMidJobShouldReleaseItLoseNothingAndWriteTheMaskOnce()
    {
        await using var p = await StartAsync(leaseSeconds: 2);
        var name = await p.UploadScanAsync("Case3.nii.gz", TestVolumes.ScanNiiGz());
        var queued = await p.Uploads.HandleAsync(name);
        p.Segmenter.Gate = new TaskCompletionSource();
        using var stop = new CancellationTokenSource();

        var stopping = p.Processor.ProcessAsync(await p.ReceiveOneAsync(), stop.Token);
        await p.Segmenter.Started.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await stop.CancelAsync(); // the worker is stopped mid-job (SIGTERM): it releases the job rather than finish it
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => stopping);
        Assert.Equal(JobState.Queued, (await p.Status.GetAsync(queued.JobId!))!.State);
        Assert.False(await p.ExistsAsync(ContainerNames.Masks, BlobLayout.MaskName(name)));
        p.Segmenter.Gate = null;

        var redelivered = await p.ReceiveOneAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(2, redelivered.DeliveryCount);
        Assert.Equal(ProcessOutcome.Completed, await p.Processor.ProcessAsync(redelivered));

        Assert.Equal(JobState.Succeeded, (await p.Status.GetAsync(queued.JobId!))!.State);
        Assert.Equal(2, (await p.Status.GetAsync(queued.JobId!))!.Attempts);
        Assert.Equal(Outputs(name), await p.OutputsAsync());
        Assert.Null(await p.Queue.ReceiveAsync(TimeSpan.FromSeconds(3)));
    }

    [Fact]
    public async Task WorkerDyingAfterWritingTheMaskShouldLeadToRedeliveryThatCompletesWithExactlyOneMask()
    {
        await using var p = await StartAsync(leaseSeconds: 2);
        var name = await p.UploadScanAsync("Case11.nii.gz", TestVolumes.ScanNiiGz());
        var queued = await p.Uploads.HandleAsync(name);
        var first = await p.ReceiveOneAsync();
        await p.Segment.HandleAsync(JobMessageCodec.Parse(first.Body.ToMemory().Span), first.DeliveryCount); // outputs written, then the process dies unsettled

        var again = await p.ReceiveOneAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(2, again.DeliveryCount);
        Assert.Equal(ProcessOutcome.Completed, await p.Processor.ProcessAsync(again));

        Assert.Equal(1, p.Segmenter.Calls);
        Assert.Equal(Outputs(name), await p.OutputsAsync());
        Assert.Equal(JobState.Succeeded, (await p.Status.GetAsync(queued.JobId!))!.State);
        Assert.Null(await p.Queue.ReceiveAsync(TimeSpan.FromSeconds(3)));
    }

    [Fact]
    public async Task JobShouldBeCompletedOnlyOnceItsMaskIsWritten()
    {
        await using var p = await StartAsync();
        var name = await p.UploadScanAsync("Case12.nii.gz", TestVolumes.ScanNiiGz());
        await p.Uploads.HandleAsync(name);
        var probe = new SettlementProbe(await p.ReceiveOneAsync(), () => p.ExistsAsync(ContainerNames.Masks, BlobLayout.MaskName(name)));

        Assert.Equal(ProcessOutcome.Completed, await p.Processor.ProcessAsync(probe));

        Assert.Equal(["complete+check"], probe.Settlements);
        Assert.Null(await p.Queue.ReceiveAsync(TimeSpan.FromMilliseconds(500)));
    }

    [Fact]
    public async Task CompletionShouldWaitForARenewalInFlightRatherThanRaceIt()
    {
        await using var p = await StartAsync(leaseSeconds: 3);
        var name = await p.UploadScanAsync("Case15.nii.gz", TestVolumes.ScanNiiGz());
        await p.Uploads.HandleAsync(name);
        p.Segmenter.Gate = new TaskCompletionSource();
        var probe = new SettlementProbe(await p.ReceiveOneAsync()) { RenewalDelay = TimeSpan.FromMilliseconds(500) };

        var working = p.Processor.ProcessAsync(probe);
        await probe.RenewalStarted.Task.WaitAsync(TimeSpan.FromSeconds(10));
        p.Segmenter.Gate.SetResult(); // the job ends while that renewal is on its way

        Assert.Equal(ProcessOutcome.Completed, await working);
        Assert.Equal(["complete"], probe.Settlements);
        Assert.False(probe.SettledDuringRenewal); // a storage queue would refuse it: the renewal changes the pop receipt
        Assert.Null(await p.Queue.ReceiveAsync(TimeSpan.FromMilliseconds(500)));
    }

    [Fact]
    public async Task BlobStoreUnavailableShouldBeAbandonedThenRetriedAndSucceed()
    {
        await using var blobs = SwitchableProxy.Start(Azurite.BlobPort(azurite.ConnectionString));
        await using var p = await StartAsync(storageConnectionString: Azurite.WithBlobPort(azurite.ConnectionString, blobs.Port));
        var name = await p.UploadScanAsync("Case13.nii.gz", TestVolumes.ScanNiiGz());
        var queued = await p.Uploads.HandleAsync(name);

        await blobs.GoDownAsync(); // connections cut and refused: what a worker sees when storage is unreachable
        var first = new SettlementProbe(await p.ReceiveOneAsync());
        Assert.Equal(ProcessOutcome.Abandoned, await p.Processor.ProcessAsync(first));
        Assert.Equal(["abandon"], first.Settlements);
        var retrying = (await p.Status.GetAsync(queued.JobId!))!;
        Assert.Equal(JobState.Queued, retrying.State);
        Assert.Contains("retrying after", retrying.Reason, StringComparison.Ordinal);
        Assert.Contains($"Connection refused (127.0.0.1:{blobs.Port})", retrying.Reason, StringComparison.Ordinal); // the outage, not some other fault
        // The operation and blob are named, not just the SDK's "Retry failed after 4 tries".
        Assert.Matches(@"read properties of masks/\S*Case13\.nii\.gz: the service could not be reached in \d+ tries", retrying.Reason);

        blobs.ComeBack();
        var second = await p.ReceiveOneAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(2, second.DeliveryCount);
        Assert.Equal(ProcessOutcome.Completed, await p.Processor.ProcessAsync(second));

        Assert.Equal(JobState.Succeeded, (await p.Status.GetAsync(queued.JobId!))!.State);
        Assert.Equal(1, p.Segmenter.Calls);
        Assert.Equal(Outputs(name), await p.OutputsAsync());
        Assert.Empty(await p.Queue.PeekDeadLettersAsync(10));
    }

    /// <summary>What one successful job leaves in <c>masks</c>: the mask, its preview and its stats.</summary>
    private static List<string> Outputs(string scan)
    {
        var list = new List<string> { BlobLayout.MaskName(scan), BlobLayout.PreviewName(scan), BlobLayout.StatsName(scan) };
        list.Sort(StringComparer.Ordinal);
        return list;
    }

    [Fact]
    public async Task LongJobShouldKeepItsLeaseByRenewalAndCompleteOnce()
    {
        // 3 s, not 2: a storage queue keeps visibility in whole seconds, so a lease may end up to 1 s early, and
        // renewal starts after at least 1 s (LeaseRenewer.IntervalFor); a 2 s lease left that race a few ms wide.
        await using var p = await StartAsync(leaseSeconds: 3);
        var name = await p.UploadScanAsync("Case4.nii.gz", TestVolumes.ScanNiiGz());
        await p.Uploads.HandleAsync(name);
        p.Segmenter.Gate = new TaskCompletionSource();

        var working = p.Processor.ProcessAsync(await p.ReceiveOneAsync());
        await p.Segmenter.Started.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Null(await p.Queue.ReceiveAsync(TimeSpan.FromSeconds(7))); // over two leases: still hidden
        p.Segmenter.Gate.SetResult();

        Assert.Equal(ProcessOutcome.Completed, await working);
        Assert.Equal(1, p.Segmenter.Calls);
        Assert.Null(await p.Queue.ReceiveAsync(TimeSpan.FromSeconds(3)));
    }

    [Fact]
    public async Task TransientFailureShouldBeAbandonedThenRetriedAndSucceed()
    {
        await using var p = await StartAsync();
        var name = await p.UploadScanAsync("Case5.nii.gz", TestVolumes.ScanNiiGz());
        var queued = await p.Uploads.HandleAsync(name);
        p.Segmenter.FailTransiently(1);

        Assert.Equal(ProcessOutcome.Abandoned, await p.Processor.ProcessAsync(await p.ReceiveOneAsync()));
        var retrying = (await p.Status.GetAsync(queued.JobId!))!;
        Assert.Equal(JobState.Queued, retrying.State);
        Assert.Contains("retrying after", retrying.Reason, StringComparison.Ordinal);

        Assert.Equal(ProcessOutcome.Completed, await p.Processor.ProcessAsync(await p.ReceiveOneAsync(TimeSpan.FromSeconds(3))));
        var done = (await p.Status.GetAsync(queued.JobId!))!;
        Assert.Equal(JobState.Succeeded, done.State);
        Assert.Null(done.Reason);
    }

    [Fact]
    public async Task JobFailingEveryTimeShouldBeDeadLetteredAtTheDeliveryLimit()
    {
        await using var p = await StartAsync(maxDeliveryCount: 3);
        var name = await p.UploadScanAsync("Case6.nii.gz", TestVolumes.ScanNiiGz());
        var queued = await p.Uploads.HandleAsync(name);
        p.Segmenter.FailTransiently(100);

        var summary = await p.Worker().RunAsync();

        Assert.Equal(2, summary.Abandoned);
        Assert.Equal(1, summary.DeadLettered);
        var dead = Assert.Single(await p.Queue.PeekDeadLettersAsync(10));
        Assert.Equal("MaxDeliveryCountExceeded", dead.Reason);
        Assert.Equal("MaxDeliveryCountExceeded", (await p.ReadErrorAsync(name)).Reason);
        Assert.Equal(JobState.Failed, (await p.Status.GetAsync(queued.JobId!))!.State);
    }

    [Fact]
    public async Task JobWhoseWorkerDiesOnEveryDeliveryShouldEndFailedWithAnErrorReportNotJustVanish()
    {
        await using var p = await StartAsync(leaseSeconds: 2, maxDeliveryCount: 2);
        var name = await p.UploadScanAsync("Case14.nii.gz", TestVolumes.ScanNiiGz());
        var queued = await p.Uploads.HandleAsync(name);
        Assert.Equal(1, (await p.ReceiveOneAsync()).DeliveryCount); // each worker dies unsettled; the lease lapses
        Assert.Equal(2, (await p.ReceiveOneAsync(TimeSpan.FromSeconds(5))).DeliveryCount);

        var last = await p.ReceiveOneAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(3, last.DeliveryCount);
        Assert.Equal(ProcessOutcome.DeadLettered, await p.Processor.ProcessAsync(last));

        Assert.Equal("MaxDeliveryCountExceeded", (await p.ReadErrorAsync(name)).Reason);
        Assert.Equal("MaxDeliveryCountExceeded", Assert.Single(await p.Queue.PeekDeadLettersAsync(10)).Reason);
        Assert.Equal(JobState.Failed, (await p.Status.GetAsync(queued.JobId!))!.State);
        Assert.Equal(0, p.Segmenter.Calls);
    }

    [Fact]
    public async Task OverTheLimitDeliveryOfAFinishedJobShouldCompleteNotFail()
    {
        await using var p = await StartAsync(leaseSeconds: 2, maxDeliveryCount: 1);
        var name = await p.UploadScanAsync("Case10.nii.gz", TestVolumes.ScanNiiGz());
        var queued = await p.Uploads.HandleAsync(name);
        var job = JobMessageCodec.Parse((await p.ReceiveOneAsync()).Body.ToMemory().Span);
        await p.Segment.HandleAsync(job, 1); // the mask is written, then the worker dies before completing

        var late = await p.ReceiveOneAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(2, late.DeliveryCount);
        Assert.Equal(ProcessOutcome.Completed, await p.Processor.ProcessAsync(late));

        Assert.Empty(await p.Queue.PeekDeadLettersAsync(10));
        Assert.False(await p.ExistsAsync(ContainerNames.Masks, BlobLayout.ScanErrorName(name)));
        Assert.Equal(JobState.Succeeded, (await p.Status.GetAsync(queued.JobId!))!.State);
    }

    [Fact]
    public async Task ScanThatFailsTheFullReadShouldBeDeadLetteredWithAnErrorBlob()
    {
        await using var p = await StartAsync();
        var name = await p.UploadScanAsync("Case7.nii.gz", TestVolumes.TruncatedNiiGz());
        var queued = await p.Uploads.HandleAsync(name);
        Assert.Equal(ScanUploadedOutcome.Queued, queued.Outcome); // the header alone looks fine

        Assert.Equal(ProcessOutcome.DeadLettered, await p.Processor.ProcessAsync(await p.ReceiveOneAsync()));

        var error = await p.ReadErrorAsync(name);
        Assert.Contains(error.Reason, new[] { "TruncatedData", "CorruptCompression" });
        Assert.Equal("segment", error.Stage);
        Assert.Equal(error.Reason, Assert.Single(await p.Queue.PeekDeadLettersAsync(10)).Reason);
        var status = (await p.Status.GetAsync(queued.JobId!))!;
        Assert.Equal(JobState.Failed, status.State);
        Assert.False(await p.ExistsAsync(ContainerNames.Masks, BlobLayout.MaskName(name)));
    }

    [Fact]
    public async Task ScanDeletedAfterQueueingShouldBeDeadLetteredAsMissing()
    {
        await using var p = await StartAsync();
        var name = await p.UploadScanAsync("Case8.nii.gz", TestVolumes.ScanNiiGz());
        await p.Uploads.HandleAsync(name);
        await p.Blob(ContainerNames.Scans, name).DeleteAsync();

        Assert.Equal(ProcessOutcome.DeadLettered, await p.Processor.ProcessAsync(await p.ReceiveOneAsync()));

        Assert.Equal("BlobMissing", Assert.Single(await p.Queue.PeekDeadLettersAsync(10)).Reason);
        Assert.Equal("BlobMissing", (await p.ReadErrorAsync(name)).Reason);
        Assert.Equal(0, p.Segmenter.Calls);
    }

    [Fact]
    public async Task MessageWithAnUnknownSchemaVersionShouldBeDeadLetteredNotRetried()
    {
        await using var p = await StartAsync();
        var job = JobMessage.Create(p.Prefix + "Case9.nii.gz", "\"0x1\"", 10, "m", DateTimeOffset.UtcNow) with { SchemaVersion = 99 };
        await transport.SendRawAsync(p, new BinaryData(JobMessageCodec.Serialize(job)));

        var summary = await p.Worker().RunAsync();

        Assert.Equal(1, summary.DeadLettered);
        var dead = Assert.Single(await p.Queue.PeekDeadLettersAsync(10));
        Assert.Equal("InvalidMessage", dead.Reason);
        Assert.Contains("schemaVersion 99", dead.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MessageThatIsNotJsonShouldBeDeadLetteredNotRetried()
    {
        await using var p = await StartAsync();
        await transport.SendRawAsync(p, BinaryData.FromString("segment Case1 please"));

        Assert.Equal(ProcessOutcome.DeadLettered, await p.Processor.ProcessAsync(await p.ReceiveOneAsync()));

        Assert.Equal("InvalidMessage", Assert.Single(await p.Queue.PeekDeadLettersAsync(10)).Reason);
        Assert.Null(await p.Queue.ReceiveAsync(TimeSpan.FromMilliseconds(300)));
    }

    [Fact]
    public async Task WorkerShouldExitAfterTheQueueStaysIdle()
    {
        await using var p = await StartAsync();
        var started = DateTime.UtcNow;

        var summary = await p.Worker().RunAsync().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(0, summary.Total);
        Assert.True(DateTime.UtcNow - started >= TimeSpan.FromSeconds(2));
    }
}
