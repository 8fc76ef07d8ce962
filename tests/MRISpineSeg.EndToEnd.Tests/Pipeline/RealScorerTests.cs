using System.IO.Compression;
using System.Text.Json;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Logging.Abstractions;
using MRISpineSeg.EndToEnd.Tests.Support;
using MRISpineSeg.Pipeline.Contracts;
using MRISpineSeg.Pipeline.Handlers;
using MRISpineSeg.Pipeline.Storage;
using MRISpineSeg.Scoring.Leaderboard;
using MRISpineSeg.Pipeline.Jobs;
using MRISpineSeg.Pipeline.Outcomes;
using MRISpineSeg.Pipeline.Ports;

namespace MRISpineSeg.EndToEnd.Tests.Pipeline;

/// <summary>
/// Behaviour 6, "scoring", with the product's scorer adapter (the Scoring library) on real Azurite: a zip of the
/// phantom truth itself scores Dice 1.0 and reaches the leaderboard; hostile zips get an error report; the
/// <c>ground-truth</c> container is only ever read, stays private, and none of its bytes appear in any output.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class RealScorerTests(Azurite azurite, RandomModelFixture ports) : IClassFixture<RandomModelFixture>
{
    private const int Cases = 2;

    [Fact]
    public async Task ZipOfTheTruthShouldScoreDiceOneAndReachTheLeaderboard()
    {
        await using var p = await TestPipeline.StartAsync(azurite);
        var truth = await LoadTruthAsync(p);
        var handler = Handler(p);
        var team = "team-" + Guid.NewGuid().ToString("N")[..8];
        var truthBefore = await ListingAsync(p, ContainerNames.GroundTruth);
        await UploadAsync(p, $"{team}/run1.zip", Zip(truth.Select((t, i) => ($"Case{i + 1}.nii.gz", t))));

        var result = await handler.HandleAsync($"{team}/run1.zip");

        Assert.Equal(ScoreSubmissionOutcome.Scored, result.Outcome);
        Assert.Equal(1.0, result.ChallengeMean);
        var json = await p.Blob(ContainerNames.Scores, $"{team}/run1.json").DownloadContentAsync();
        using (var metrics = JsonDocument.Parse(json.Value.Content.ToMemory()))
        {
            Assert.Equal(1.0, metrics.RootElement.GetProperty("aggregates").GetProperty("challenge").GetProperty("mean").GetDouble());
            Assert.Equal("team", metrics.RootElement.GetProperty("detail").GetString()); // what teams see: no per-case values (F4)
            Assert.False(metrics.RootElement.TryGetProperty("case", out _));
        }

        // The full per-case report is for the organisers, in scores-private.
        var full = await p.Blob(ContainerNames.ScoresPrivate, $"{team}/run1.json").DownloadContentAsync();
        using (var organisers = JsonDocument.Parse(full.Value.Content.ToMemory()))
        {
            Assert.Equal("full", organisers.RootElement.GetProperty("detail").GetString());
            Assert.Equal(Cases, organisers.RootElement.GetProperty("case").EnumerateObject().Count());
        }

        Assert.Equal(Cases.ToString(System.Globalization.CultureInfo.InvariantCulture), json.Value.Details.Metadata[BlobLayout.CaseCountMetadata]);
        var html = (await p.Blob(ContainerNames.Scores, $"{team}/run1.html").DownloadContentAsync()).Value.Content.ToString();
        Assert.Contains("<html", html, StringComparison.OrdinalIgnoreCase);

        var board = await LeaderboardJson.LoadAsync((await p.Blob(ContainerNames.Leaderboard, BlobLayout.LeaderboardJson).DownloadContentAsync()).Value.Content.ToStream(), "leaderboard.json");
        var entry = Assert.Single(board.Ranking(), e => e.Team == team);
        Assert.Equal("run1", entry.Best.SubmissionId);
        Assert.Equal(1.0, entry.Best.Challenge);
        Assert.Equal(Cases, entry.Best.Cases);
        var boardHtml = (await p.Blob(ContainerNames.Leaderboard, BlobLayout.LeaderboardHtml).DownloadContentAsync()).Value.Content.ToString();
        Assert.Contains(team, boardHtml, StringComparison.Ordinal);

        Assert.Equal(truthBefore, await ListingAsync(p, ContainerNames.GroundTruth));
        await AssertTruthAppearsInNoOutputAsync(p, truth);
        var access = (await p.Any(ContainerNames.GroundTruth).GetAccessPolicyAsync()).Value;
        Assert.Equal(PublicAccessType.None, access.BlobPublicAccess);
    }

    [Fact]
    public async Task OverwrittenSubmissionWithAnIdAlreadyRankedShouldKeepItsScoreAndSayWhyItIsNotRanked()
    {
        await using var p = await TestPipeline.StartAsync(azurite);
        var truth = await LoadTruthAsync(p);
        var handler = Handler(p);
        var team = "team-" + Guid.NewGuid().ToString("N")[..8];
        await UploadAsync(p, $"{team}/run1.zip", Zip(truth.Select((t, i) => ($"Case{i + 1}.nii.gz", t))));
        Assert.Equal(ScoreSubmissionOutcome.Scored, (await handler.HandleAsync($"{team}/run1.zip")).Outcome);
        await UploadAsync(p, $"{team}/run1.zip", Zip(truth.Select((t, i) => ($"mask_case{i + 1}.nii.gz", t))));

        var again = await handler.HandleAsync($"{team}/run1.zip");

        Assert.Equal(ScoreSubmissionOutcome.Scored, again.Outcome);
        Assert.Contains("already has a submission run1", again.Reason, StringComparison.Ordinal);
        var report = ErrorReport.TryParse((await p.Blob(ContainerNames.Scores, $"{team}/run1.error.json").DownloadContentAsync()).Value.Content)!;
        Assert.Equal("InvalidDocument", report.Reason);
        var board = await LeaderboardJson.LoadAsync((await p.Blob(ContainerNames.Leaderboard, BlobLayout.LeaderboardJson).DownloadContentAsync()).Value.Content.ToStream(), "leaderboard.json");
        Assert.Single(Assert.Single(board.Ranking(), e => e.Team == team).History);
    }

    public static TheoryData<string, string> HostileZips => new()
    {
        { "zip-slip", "UnsafeArchivePath" },
        { "too-many-entries", "ArchiveTooManyEntries" },
        { "not-a-zip", "CorruptArchive" },
        { "missing-case", "MissingCase" },
    };

    [Theory]
    [MemberData(nameof(HostileZips))]
    public async Task HostileOrBadZipShouldGetAnErrorReportNeverACrash(string kind, string reason)
    {
        await using var p = await TestPipeline.StartAsync(azurite);
        var truth = await LoadTruthAsync(p);
        var handler = Handler(p);
        var team = "team-" + Guid.NewGuid().ToString("N")[..8];
        var content = kind switch
        {
            "zip-slip" => Zip([("Case1.nii.gz", truth[0]), ("../evil.nii.gz", truth[1])]),
            "too-many-entries" => Zip(Enumerable.Range(0, 2_001).Select(i => ($"junk/{i}.txt", new byte[1]))),
            "not-a-zip" => "PK\u0003\u0004 but not really a zip"u8.ToArray(),
            _ => Zip([("Case1.nii.gz", truth[0])]),
        };
        await UploadAsync(p, $"{team}/{kind}.zip", content);

        var result = await handler.HandleAsync($"{team}/{kind}.zip");

        Assert.Equal(ScoreSubmissionOutcome.Rejected, result.Outcome);
        var report = ErrorReport.TryParse((await p.Blob(ContainerNames.Scores, $"{team}/{kind}.error.json").DownloadContentAsync()).Value.Content)!;
        Assert.Equal(reason, report.Reason);
        Assert.False(await p.ExistsAsync(ContainerNames.Scores, $"{team}/{kind}.json"));
        Assert.False(string.IsNullOrWhiteSpace(report.Message));
        var evil = Path.GetFullPath(Path.Combine(Path.GetTempPath(), "evil.nii.gz"));
        Assert.False(File.Exists(evil), $"{evil} was written outside the extraction folder");
    }

    /// <summary>
    /// Replaces the shared ground-truth container's contents with phantom truth (the operator's step), and starts an
    /// empty leaderboard (the scorer-double tests on the same Azurite store a different board format).
    /// </summary>
    private static async Task<byte[][]> LoadTruthAsync(TestPipeline p)
    {
        await p.Blob(ContainerNames.Leaderboard, BlobLayout.LeaderboardJson).DeleteIfExistsAsync();
        var container = p.Any(ContainerNames.GroundTruth);
        await foreach (var b in container.GetBlobsAsync()) await container.DeleteBlobAsync(b.Name);
        var truth = new byte[Cases][];
        for (var i = 0; i < Cases; i++)
        {
            truth[i] = TestVolumes.Bytes(SmallPhantoms.Generate(seed: 10 + i).Mask, "mask.nii.gz");
            await container.GetBlobClient($"mask_case{i + 1}.nii.gz").UploadAsync(new BinaryData(truth[i]));
        }

        return truth;
    }

    private ScoreSubmissionHandler Handler(TestPipeline p)
    {
        var cache = new GroundTruthCache(p.Storage, Path.Combine(Path.GetTempPath(), "spineseg-e2e-truth-" + Guid.NewGuid().ToString("N")));
        return new ScoreSubmissionHandler(p.Storage, ports.Scorer, cache, p.Options, NullLogger<ScoreSubmissionHandler>.Instance);
    }

    private static Task UploadAsync(TestPipeline p, string name, byte[] content)
        => p.Blob(ContainerNames.Submissions, name).UploadAsync(new BinaryData(content), overwrite: true);

    private static byte[] Zip(IEnumerable<(string Name, byte[] Content)> entries)
    {
        using var ms = new MemoryStream();
        using (var zip = new ZipArchive(ms, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in entries)
            {
                using var s = zip.CreateEntry(name, CompressionLevel.NoCompression).Open();
                s.Write(content);
            }
        }

        return ms.ToArray();
    }

    private static async Task<string> ListingAsync(TestPipeline p, string container)
    {
        var names = new List<string>();
        await foreach (var b in p.Any(container).GetBlobsAsync()) names.Add($"{b.Name}:{b.Properties.ETag}");
        return string.Join(",", names);
    }

    private static async Task AssertTruthAppearsInNoOutputAsync(TestPipeline p, byte[][] truth)
    {
        foreach (var container in ContainerNames.All.Where(c => c is not ContainerNames.GroundTruth and not ContainerNames.Submissions))
        {
            await foreach (var b in p.Any(container).GetBlobsAsync())
            {
                Assert.DoesNotContain("mask_case", b.Name, StringComparison.OrdinalIgnoreCase);
                var bytes = (await p.Any(container).GetBlobClient(b.Name).DownloadContentAsync()).Value.Content.ToArray();
                Assert.All(truth, t => Assert.False(bytes.AsSpan().SequenceEqual(t), $"{container}/{b.Name} is a copy of a ground-truth file"));
            }
        }
    }
}
