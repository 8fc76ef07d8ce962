using Microsoft.Extensions.Logging.Abstractions;
using MRISpineSeg.EndToEnd.Tests.Support;
using MRISpineSeg.Pipeline.Contracts;
using MRISpineSeg.Pipeline.Failures;
using MRISpineSeg.Cli.Local;

namespace MRISpineSeg.EndToEnd.Tests.Local;

/// <summary>The local host's blob watching: receipts in a table so a restart neither redoes nor misses an upload.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class ContainerWatcherTests(Azurite azurite)
{
    [Fact]
    public async Task RestartedWatcherShouldNeitherRedoNorMissUploads()
    {
        await using var p = await TestPipeline.StartAsync(azurite);
        var seen = new List<string>();
        ContainerWatcher NewWatcher() => new(p.Storage, new UploadReceipts(p.Clients.Tables), ContainerNames.Scans, (n, _) =>
        {
            seen.Add(n);
            return Task.FromResult("Queued");
        }, NullLogger.Instance) { Prefix = p.Prefix };

        var a = await p.UploadScanAsync("A.nii.gz", TestVolumes.ScanNiiGz());
        Assert.Equal(1, await NewWatcher().ScanOnceAsync());
        var b = await p.UploadScanAsync("B.nii.gz", TestVolumes.ScanNiiGz()); // arrives while the host is down

        var restarted = NewWatcher();
        Assert.Equal(1, await restarted.ScanOnceAsync());
        Assert.Equal(0, await restarted.ScanOnceAsync());

        Assert.Equal([a, b], seen);
    }

    [Fact]
    public async Task HandlerFailuresShouldNeverStopTheWatcherAndOnlyTransientOnesShouldBeRetried()
    {
        await using var p = await TestPipeline.StartAsync(azurite);
        var calls = new Dictionary<string, int>();
        var watcher = new ContainerWatcher(p.Storage, new UploadReceipts(p.Clients.Tables), ContainerNames.Scans, (n, _) =>
        {
            calls[n] = calls.GetValueOrDefault(n) + 1;
            return n.EndsWith("Permanent.nii.gz", StringComparison.Ordinal)
                ? throw new Scoring.ScoringException(Scoring.ScoringErrorReason.InvalidDocument, "not rankable")
                : calls[n] == 1 ? throw new TimeoutException("storage was slow") : Task.FromResult("Queued");
        }, NullLogger.Instance) { Prefix = p.Prefix };
        var permanent = await p.UploadScanAsync("Permanent.nii.gz", TestVolumes.ScanNiiGz());
        var transient = await p.UploadScanAsync("Transient.nii.gz", TestVolumes.ScanNiiGz());

        Assert.Equal(1, await watcher.ScanOnceAsync()); // the permanent failure is receipted, the transient one is not
        Assert.Equal(1, await watcher.ScanOnceAsync()); // the transient one succeeds on the next scan
        Assert.Equal(0, await watcher.ScanOnceAsync());

        Assert.Equal(1, calls[permanent]);
        Assert.Equal(2, calls[transient]);
    }

    [Fact]
    public async Task AnUnknownFailureShouldBeTriedABoundedNumberOfTimesThenGivenUpWithAReport()
    {
        await using var p = await TestPipeline.StartAsync(azurite);
        var calls = 0;
        var givenUp = new List<(string Name, RetryDecision Decision)>();
        var watcher = new ContainerWatcher(p.Storage, new UploadReceipts(p.Clients.Tables), ContainerNames.Scans, (_, _) =>
        {
            calls++;
            throw new InvalidOperationException("a bug in a handler");
        }, NullLogger.Instance)
        {
            Prefix = p.Prefix,
            GiveUp = (name, _, decision, _, _) =>
            {
                givenUp.Add((name, decision));
                return Task.CompletedTask;
            },
        };
        var name = await p.UploadScanAsync("Buggy.nii.gz", TestVolumes.ScanNiiGz());

        for (var pass = 1; pass < RetryDecision.BoundedAttempts; pass++) Assert.Equal(0, await watcher.ScanOnceAsync());
        Assert.Equal(1, await watcher.ScanOnceAsync()); // out of attempts: given up and receipted
        Assert.Equal(0, await watcher.ScanOnceAsync()); // and never tried again

        Assert.Equal(RetryDecision.BoundedAttempts, calls);
        var (givenUpName, decision) = Assert.Single(givenUp);
        Assert.Equal(name, givenUpName);
        Assert.Equal(new RetryDecision(RetryKind.Bounded, "InvalidOperationException"), decision);
    }

    [Fact]
    public async Task OverwrittenBlobShouldBeHandedOverAgain()
    {
        await using var p = await TestPipeline.StartAsync(azurite);
        var count = 0;
        var watcher = new ContainerWatcher(p.Storage, new UploadReceipts(p.Clients.Tables), ContainerNames.Scans, (_, _) =>
        {
            count++;
            return Task.FromResult("Queued");
        }, NullLogger.Instance) { Prefix = p.Prefix };
        await p.UploadScanAsync("A.nii.gz", TestVolumes.ScanNiiGz());
        await watcher.ScanOnceAsync();

        await p.UploadScanAsync("A.nii.gz", TestVolumes.ScanNiiGz());
        await watcher.ScanOnceAsync();

        Assert.Equal(2, count);
    }

    [Fact]
    public async Task UploadsSeenByTheWatcherShouldFlowThroughTheRealHandlerOnce()
    {
        await using var p = await TestPipeline.StartAsync(azurite);
        var watcher = new ContainerWatcher(p.Storage, new UploadReceipts(p.Clients.Tables), ContainerNames.Scans,
            async (n, ct) => (await p.Uploads.HandleAsync(n, ct)).Outcome.ToString(), NullLogger.Instance) { Prefix = p.Prefix };
        await p.UploadScanAsync("A.nii.gz", TestVolumes.ScanNiiGz());
        await p.UploadScanAsync("B.nii.gz", TestVolumes.NotAVolume());

        await watcher.ScanOnceAsync();
        await watcher.ScanOnceAsync();

        Assert.NotNull(await p.Queue.ReceiveAsync(TimeSpan.FromSeconds(2)));
        Assert.Null(await p.Queue.ReceiveAsync(TimeSpan.FromMilliseconds(500)));
        Assert.Equal("UnknownFormat", (await p.ReadErrorAsync(p.Prefix + "B.nii.gz")).Reason);
    }
}
