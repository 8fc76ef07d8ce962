using System.Text;
using MRISpineSeg.Pipeline.Status;

namespace MRISpineSeg.Pipeline.Tests.Status;

public sealed class JobStatusJsonTests
{
    [Fact]
    public void NonFiniteTimingsShouldBeServedAsNullNotCrashTheEndpoint()
    {
        var status = new JobStatus { JobId = new string('a', 64), State = JobState.Succeeded, BlobName = "Case1.nii.gz", SegmentMs = double.NaN, TotalMs = double.PositiveInfinity, DownloadMs = 1.5, Reorientation = "RAS→PSR: axes (1, 2, 0), flip 0" };

        var json = Encoding.UTF8.GetString(JobStatusJson.Serialize(status));

        Assert.Contains("\"segmentMs\": null", json);
        Assert.Contains("\"totalMs\": null", json);
        Assert.Contains("\"downloadMs\": 1.5", json);
        Assert.Contains("RAS→PSR", json);
        Assert.Equal("succeeded", JobStatusJson.Deserialize(Encoding.UTF8.GetBytes(json))!.State.ToString().ToLowerInvariant());
    }
}
