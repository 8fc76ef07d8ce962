using Azure.Storage.Blobs;
using Microsoft.Extensions.Logging.Abstractions;
using MRISpineSeg.EndToEnd.Tests.Support;
using MRISpineSeg.Pipeline.Contracts;
using MRISpineSeg.Pipeline.Handlers;
using MRISpineSeg.Pipeline.Hosting;
using MRISpineSeg.Pipeline.Storage;
using MRISpineSeg.Pipeline.Jobs;
using MRISpineSeg.Pipeline.Outcomes;
using MRISpineSeg.Pipeline.Ports;

namespace MRISpineSeg.Functions.Tests;

[Collection(AzuriteCollection.Name)]
public sealed class SubmissionUploadedTests(Azurite azurite)
{
    [Theory]
    [InlineData("loose.zip")]
    [InlineData("team/deeper/run.zip")]
    [InlineData("team/run.rar")]
    public async Task BlobOutsideTeamSlashIdZipShouldBeRejectedWithoutScoring(string name)
    {
        var storage = new PipelineStorage(PipelineClients.Create(new StorageOptions { ConnectionString = azurite.ConnectionString }));
        await storage.EnsureCreatedAsync(null);
        var truth = new GroundTruthCache(storage, Path.Combine(Path.GetTempPath(), "spineseg-fn-tests-" + Guid.NewGuid().ToString("N")));
        var handler = new ScoreSubmissionHandler(storage, new NeverCalledScorer(), truth, new PipelineSettings(), NullLogger<ScoreSubmissionHandler>.Instance);
        var function = new SubmissionUploaded(handler, NullLogger<SubmissionUploaded>.Instance);

        var result = await function.RunAsync(new BlobClient(azurite.ConnectionString, ContainerNames.Submissions, name), CancellationToken.None);

        Assert.Equal(ScoreSubmissionOutcome.Rejected, result.Outcome);
        Assert.Contains("<team>/<id>.zip", result.Reason, StringComparison.Ordinal);
    }

    private sealed class NeverCalledScorer : ISubmissionScorer
    {
        public Task<SubmissionScore> ScoreAsync(Stream submissionZip, string truthDirectory, CancellationToken cancellationToken = default)
            => throw new InvalidOperationException("a misnamed blob must not reach the scorer");

        public Task<LeaderboardDocuments> UpdateLeaderboardAsync(Stream? currentJson, string team, string submissionId, string source, SubmissionScore score, DateTimeOffset submittedAt, CancellationToken cancellationToken = default)
            => throw new InvalidOperationException("a misnamed blob must not reach the leaderboard");
    }
}
