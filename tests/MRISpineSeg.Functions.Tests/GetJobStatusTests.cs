using System.Net;
using MRISpineSeg.EndToEnd.Tests.Support;
using MRISpineSeg.Functions.Tests.Support;
using MRISpineSeg.Pipeline.Contracts;
using MRISpineSeg.Pipeline.Hosting;
using MRISpineSeg.Pipeline.Status;
using MRISpineSeg.Pipeline.Storage;

namespace MRISpineSeg.Functions.Tests;

[Collection(AzuriteCollection.Name)]
public sealed class GetJobStatusTests(Azurite azurite)
{
    private async Task<(GetJobStatus Function, JobStatusStore Store)> CreateAsync()
    {
        var storage = new PipelineStorage(PipelineClients.Create(new StorageOptions { ConnectionString = azurite.ConnectionString }));
        await storage.EnsureCreatedAsync(null);
        var store = storage.JobStatus();
        return (new GetJobStatus(store), store);
    }

    [Fact]
    public async Task KnownJobShouldAnswer200WithStateAndTimings()
    {
        var (function, store) = await CreateAsync();
        var job = JobMessage.Create($"f{Guid.NewGuid():N}/Case1.nii.gz", "\"0x1\"", 10, "m", DateTimeOffset.UtcNow);
        await store.TryCreateQueuedAsync(job);
        await store.MarkRunningAsync(job, 1, DateTimeOffset.UtcNow);
        await store.MarkSucceededAsync(job.JobId, new JobTimings(1.5, 20, 3, 25), "Case1.nii.gz");

        var response = (TestHttpResponse)await function.RunAsync(new TestHttpRequest(new Uri($"http://localhost/api/jobs/{job.JobId}")), job.JobId, CancellationToken.None);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("application/json", string.Join(",", response.Headers.GetValues("Content-Type")), StringComparison.Ordinal);
        var status = JobStatusJson.Deserialize(response.BodyBytes())!;
        Assert.Equal(JobState.Succeeded, status.State);
        Assert.Equal(25, status.TotalMs);
        Assert.Equal(20, status.SegmentMs);
        Assert.Contains("\"state\": \"succeeded\"", System.Text.Encoding.UTF8.GetString(response.BodyBytes()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownJobShouldAnswer404()
    {
        var (function, _) = await CreateAsync();
        var id = JobIds.For("nothing.nii", "e");

        var response = (TestHttpResponse)await function.RunAsync(new TestHttpRequest(new Uri($"http://localhost/api/jobs/{id}")), id, CancellationToken.None);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("'; DROP TABLE jobs; --")]
    public async Task MalformedIdShouldAnswer400NamingTheExpectedForm(string id)
    {
        var (function, _) = await CreateAsync();

        var response = (TestHttpResponse)await function.RunAsync(new TestHttpRequest(new Uri("http://localhost/api/jobs/x")), id, CancellationToken.None);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("64 lowercase hex", System.Text.Encoding.UTF8.GetString(response.BodyBytes()), StringComparison.Ordinal);
    }
}
