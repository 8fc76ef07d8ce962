using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using MRISpineSeg.EndToEnd.Tests.Support;
using MRISpineSeg.Pipeline.Contracts;
using MRISpineSeg.Pipeline.Handlers;
using MRISpineSeg.Pipeline.Storage;
using MRISpineSeg.Pipeline.Jobs;
using MRISpineSeg.Pipeline.Outcomes;
using MRISpineSeg.Pipeline.Ports;

namespace MRISpineSeg.EndToEnd.Tests.Pipeline;

/// <summary>
/// The scoring handler's storage contract on Azurite: outputs where the layout says, error reports for refused
/// submissions, no lost leaderboard rows under concurrency, ground truth only ever read. The scorer port is a test
/// double here (it records what it was given); the Scoring library's own tests cover Dice.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ScoreSubmissionTests(Azurite azurite)
{
    [Fact]
    public async Task ConcurrentSubmissionsShouldAllReachTheLeaderboard()
    {
        await using var p = await TestPipeline.StartAsync(azurite);
        var scorer = new RecordingScorer();
        var handler = await HandlerAsync(p, scorer);
        var team = "t" + Guid.NewGuid().ToString("N")[..10];
        var ids = Enumerable.Range(1, 6).Select(i => $"run{i}").ToArray();
        foreach (var id in ids)
            await p.Blob(ContainerNames.Submissions, $"{team}/{id}.zip").UploadAsync(new BinaryData("zip"u8.ToArray()));

        var results = await Task.WhenAll(ids.Select(id => handler.HandleAsync($"{team}/{id}.zip")));

        Assert.All(results, r => Assert.Equal(ScoreSubmissionOutcome.Scored, r.Outcome));
        var board = (await p.Blob(ContainerNames.Leaderboard, BlobLayout.LeaderboardJson).DownloadContentAsync()).Value.Content.ToObjectFromJson<List<string>>()!;
        Assert.All(ids, id => Assert.Contains($"{team}/{id}", board));
        Assert.True(await p.ExistsAsync(ContainerNames.Leaderboard, BlobLayout.LeaderboardHtml));
        foreach (var id in ids)
        {
            var json = (await p.Blob(ContainerNames.Scores, $"{team}/{id}.json").GetPropertiesAsync()).Value;
            Assert.Equal("0.75", json.Metadata[BlobLayout.ChallengeMeanMetadata]);
            Assert.True(await p.ExistsAsync(ContainerNames.Scores, $"{team}/{id}.html"));
        }
    }

    [Fact]
    public async Task RefusedSubmissionShouldGetAnErrorReportAndTheServiceShouldGoOn()
    {
        await using var p = await TestPipeline.StartAsync(azurite);
        var scorer = new RecordingScorer { Refuse = true };
        var handler = await HandlerAsync(p, scorer);
        var team = "t" + Guid.NewGuid().ToString("N")[..10];
        await p.Blob(ContainerNames.Submissions, $"{team}/bomb.zip").UploadAsync(new BinaryData(new byte[100]));

        var result = await handler.HandleAsync($"{team}/bomb.zip");

        Assert.Equal(ScoreSubmissionOutcome.Rejected, result.Outcome);
        var report = ErrorReport.TryParse((await p.Blob(ContainerNames.Scores, $"{team}/bomb.error.json").DownloadContentAsync()).Value.Content)!;
        Assert.Equal("ArchiveTooLarge", report.Reason);
        Assert.Equal(ScoreSubmissionOutcome.Duplicate, (await handler.HandleAsync($"{team}/bomb.zip")).Outcome);
    }

    [Fact]
    public async Task AFaultAtTheLeaderboardWriteShouldNotLoseTheTeamsEntry()
    {
        // F1: the score was written, the board write failed, and the next pass took the score for "done".
        await using var p = await TestPipeline.StartAsync(azurite);
        var scorer = new RecordingScorer { BoardFaults = 1 };
        var handler = await HandlerAsync(p, scorer);
        var team = "t" + Guid.NewGuid().ToString("N")[..10];
        await p.Blob(ContainerNames.Submissions, $"{team}/run1.zip").UploadAsync(new BinaryData("zip"u8.ToArray()));

        var fault = await Assert.ThrowsAsync<MRISpineSeg.Pipeline.PipelineException>(() => handler.HandleAsync($"{team}/run1.zip"));
        Assert.True(fault.IsTransient);
        Assert.False(await p.ExistsAsync(ContainerNames.Scores, $"{team}/run1.json")); // not "finished" yet

        var retried = await handler.HandleAsync($"{team}/run1.zip");
        Assert.Equal(ScoreSubmissionOutcome.Scored, retried.Outcome);
        Assert.Equal(ScoreSubmissionOutcome.Duplicate, (await handler.HandleAsync($"{team}/run1.zip")).Outcome);
        var board = (await p.Blob(ContainerNames.Leaderboard, BlobLayout.LeaderboardJson).DownloadContentAsync()).Value.Content.ToObjectFromJson<List<string>>()!;
        Assert.Single(board, r => r == $"{team}/run1");
        Assert.True(await p.ExistsAsync(ContainerNames.Scores, $"{team}/run1.json"));
    }

    [Theory]
    [InlineData("a/b/c.zip")]
    [InlineData("loose.zip")]
    [InlineData("../scores/team/run1.zip")]
    public async Task ASubmissionOutsideTheLayoutShouldGetAReportUnderANameItCannotChoose(string blobName)
    {
        await using var p = await TestPipeline.StartAsync(azurite);
        var scorer = new RecordingScorer();
        var handler = await HandlerAsync(p, scorer);

        var result = await handler.HandleAsync(blobName);

        Assert.Equal(ScoreSubmissionOutcome.Rejected, result.Outcome);
        var report = ErrorReport.TryParse((await p.Blob(ContainerNames.Scores, BlobLayout.RejectedSubmissionErrorName(blobName)).DownloadContentAsync()).Value.Content)!;
        Assert.Equal("InvalidBlobName", report.Reason);
        Assert.Equal("submissions/" + blobName, report.Source);
        Assert.Contains("<team>/<id>.zip", report.Message, StringComparison.Ordinal);
        Assert.Empty(scorer.TruthFilesSeen); // nothing was scored or read
    }

    [Fact]
    public async Task AStorageFaultAtTheLeaderboardWriteThroughTheProxyShouldNotLoseTheEntry()
    {
        // F1 as found: the connection is cut at the moment of the leaderboard upload, every retry of it, on real Azurite.
        await using var blobs = SwitchableProxy.Start(Azurite.BlobPort(azurite.ConnectionString));
        blobs.CutRequests(line => line.StartsWith("PUT ", StringComparison.Ordinal) && line.Contains("/leaderboard/leaderboard.json", StringComparison.Ordinal), times: 4);
        await using var p = await TestPipeline.StartAsync(azurite, storageConnectionString: Azurite.WithBlobPort(azurite.ConnectionString, blobs.Port), networkTimeoutSeconds: 5);
        var handler = await HandlerAsync(p, new RecordingScorer());
        var team = "t" + Guid.NewGuid().ToString("N")[..10];
        await p.Blob(ContainerNames.Submissions, $"{team}/run1.zip").UploadAsync(new BinaryData("zip"u8.ToArray()));

        var fault = await Assert.ThrowsAsync<MRISpineSeg.Pipeline.PipelineException>(() => handler.HandleAsync($"{team}/run1.zip"));
        Assert.True(fault.IsTransient, fault.Message);
        Assert.Equal(0, blobs.CutsLeft); // the SDK's four tries were all cut
        Assert.False(await p.ExistsAsync(ContainerNames.Scores, $"{team}/run1.json"));

        Assert.Equal(ScoreSubmissionOutcome.Scored, (await handler.HandleAsync($"{team}/run1.zip")).Outcome);
        var board = (await p.Blob(ContainerNames.Leaderboard, BlobLayout.LeaderboardJson).DownloadContentAsync()).Value.Content.ToObjectFromJson<List<string>>()!;
        Assert.Single(board, r => r == $"{team}/run1");
        Assert.Equal(ScoreSubmissionOutcome.Duplicate, (await handler.HandleAsync($"{team}/run1.zip")).Outcome);
    }

    [Fact]
    public async Task ScorerShouldSeeTheTruthOnlyThroughAPrivateLocalCopy()
    {
        await using var p = await TestPipeline.StartAsync(azurite);
        var scorer = new RecordingScorer();
        var handler = await HandlerAsync(p, scorer);
        var team = "t" + Guid.NewGuid().ToString("N")[..10];
        await p.Blob(ContainerNames.Submissions, $"{team}/run1.zip").UploadAsync(new BinaryData("zip"u8.ToArray()));
        var truthBefore = await TruthListingAsync(p);

        await handler.HandleAsync($"{team}/run1.zip");

        Assert.Contains(scorer.TruthFilesSeen, f => f.StartsWith("mask_case", StringComparison.Ordinal));
        Assert.Equal(truthBefore, await TruthListingAsync(p)); // never written to
    }

    private static async Task<ScoreSubmissionHandler> HandlerAsync(TestPipeline p, ISubmissionScorer scorer)
    {
        // The real-scorer tests on the same Azurite store a real board; this double's board is a list of names.
        await p.Blob(ContainerNames.Leaderboard, BlobLayout.LeaderboardJson).DeleteIfExistsAsync();
        var truth = p.Blob(ContainerNames.GroundTruth, "mask_case1.nii.gz");
        if (!(await truth.ExistsAsync()).Value) await truth.UploadAsync(new BinaryData(TestVolumes.ScanNiiGz()));
        var cache = new GroundTruthCache(p.Storage, Path.Combine(Path.GetTempPath(), "spineseg-e2e-truth-" + Guid.NewGuid().ToString("N")));
        return new ScoreSubmissionHandler(p.Storage, scorer, cache, p.Options, NullLogger<ScoreSubmissionHandler>.Instance);
    }

    private static async Task<string> TruthListingAsync(TestPipeline p)
    {
        var names = new List<string>();
        await foreach (var b in p.Any(ContainerNames.GroundTruth).GetBlobsAsync())
            names.Add($"{b.Name}:{b.Properties.ETag}");
        return string.Join(",", names);
    }

    /// <summary>Test double of the scorer port: a fixed score, and a board that is a JSON list of "team/id".</summary>
    private sealed class RecordingScorer : ISubmissionScorer
    {
        public bool Refuse { get; init; }

        /// <summary>How many board updates fail as a storage outage would (503) before they pass.</summary>
        public int BoardFaults { get; set; }

        public List<string> TruthFilesSeen { get; } = [];

        public Task<SubmissionScore> ScoreAsync(Stream submissionZip, string truthDirectory, CancellationToken cancellationToken = default)
        {
            if (Refuse) throw new Scoring.ScoringException(Scoring.ScoringErrorReason.ArchiveTooLarge, "bomb.zip: entry Case1.nii.gz expands past the limit");
            lock (TruthFilesSeen) TruthFilesSeen.AddRange(Directory.EnumerateFiles(truthDirectory).Select(Path.GetFileName)!);
            return Task.FromResult(new SubmissionScore("{}"u8.ToArray(), "<html/>"u8.ToArray(), new Dictionary<string, double?> { ["challenge"] = 0.75 }, 1));
        }

        public async Task<LeaderboardDocuments> UpdateLeaderboardAsync(Stream? currentJson, string team, string submissionId, string source, SubmissionScore score, DateTimeOffset submittedAt, CancellationToken cancellationToken = default)
        {
            if (BoardFaults-- > 0) throw new Azure.RequestFailedException(503, "injected: the service is unavailable");
            var rows = currentJson is null ? [] : await JsonSerializer.DeserializeAsync<List<string>>(currentJson, cancellationToken: cancellationToken) ?? [];
            await Task.Delay(20, cancellationToken); // widen the read-modify-write window
            if (!rows.Contains($"{team}/{submissionId}")) rows.Add($"{team}/{submissionId}"); // a retried upload is not added twice
            return new LeaderboardDocuments(JsonSerializer.SerializeToUtf8Bytes(rows), "<html/>"u8.ToArray());
        }
    }
}
