using System.Text.Json;
using Azure;
using MRISpineSeg.Imaging;
using MRISpineSeg.Pipeline.Failures;
using MRISpineSeg.Scoring;
using MRISpineSeg.Segmentation;

namespace MRISpineSeg.Pipeline.Tests.Failures;

public sealed class FailurePolicyTests
{
    [Fact]
    public void BadVolumeShouldBePermanentWithItsReasonAsCode()
    {
        var d = FailurePolicy.Decide(new VolumeFormatException(VolumeErrorReason.TruncatedData, "Case1.nii.gz", "voxel data", "ends early"));
        Assert.Equal(new RetryDecision(RetryKind.Permanent, "TruncatedData"), d);
        Assert.False(d.ShouldRetry(1));
    }

    [Theory]
    [InlineData(500, RetryKind.Transient)]
    [InlineData(503, RetryKind.Transient)]
    [InlineData(429, RetryKind.Transient)]
    [InlineData(408, RetryKind.Transient)]
    [InlineData(0, RetryKind.Transient)]
    [InlineData(403, RetryKind.Permanent)]
    [InlineData(404, RetryKind.Permanent)]
    public void StorageFailuresShouldBeTransientOnlyForRetryableStatuses(int status, RetryKind kind)
        => Assert.Equal(kind, FailurePolicy.Decide(new RequestFailedException(status, "x")).Kind);

    [Fact]
    public void TheSdksExhaustedRetriesShouldBeTransient()
    {
        var exhausted = new AggregateException("Retry failed after 4 tries.", new RequestFailedException("connection refused"), new RequestFailedException("connection refused"));
        Assert.Equal(new RetryDecision(RetryKind.Transient, "ServiceUnavailable"), FailurePolicy.Decide(exhausted));
        Assert.Equal(RetryKind.Bounded, FailurePolicy.Decide(new AggregateException(new InvalidOperationException())).Kind);
    }

    [Fact]
    public void EveryReasonOfEveryLibraryShouldHaveADecision()
    {
        // The switches name every value (the build fails on a missing one); this checks none of them throws at run time.
        foreach (var r in Enum.GetValues<PipelineErrorReason>()) _ = FailurePolicy.Decide(new PipelineException(r, "x"));
        foreach (var r in Enum.GetValues<SegmentationErrorReason>()) _ = FailurePolicy.Decide(new SegmentationException(r, "x"));
        foreach (var r in Enum.GetValues<VolumeErrorReason>()) _ = FailurePolicy.Decide(new VolumeFormatException(r, "f", "field", "x"));
        foreach (var r in Enum.GetValues<ScoringErrorReason>()) _ = FailurePolicy.Decide(new ScoringException(r, "x"));
        Assert.Equal(RetryKind.Transient, FailurePolicy.Decide(new PipelineException(PipelineErrorReason.ServiceUnavailable, "x")).Kind);
        Assert.Equal(RetryKind.Transient, FailurePolicy.Decide(new PipelineException(PipelineErrorReason.LeaseLost, "x")).Kind);
        Assert.Equal(new RetryDecision(RetryKind.Permanent, "BlobMissing"), FailurePolicy.Decide(new PipelineException(PipelineErrorReason.BlobMissing, "x")));
        Assert.Equal(new RetryDecision(RetryKind.Permanent, "UnsafeArchivePath"), FailurePolicy.Decide(new ScoringException(ScoringErrorReason.UnsafeArchivePath, "entry ../evil")));
        Assert.Equal(new RetryDecision(RetryKind.Permanent, "InvalidScan"), FailurePolicy.Decide(new SegmentationException(SegmentationErrorReason.InvalidScan, "blank")));
        Assert.Equal(RetryKind.Bounded, FailurePolicy.Decide(new SegmentationException(SegmentationErrorReason.InferenceFailed, "ORT")).Kind);
    }

    [Fact]
    public void ALongPathInAnUploadShouldBePermanentWhileOtherIoFailuresAreBounded()
    {
        Assert.Equal(new RetryDecision(RetryKind.Permanent, "PathTooLong"), FailurePolicy.Decide(new PathTooLongException("name too long")));
        Assert.Equal(new RetryDecision(RetryKind.Bounded, "IOError"), FailurePolicy.Decide(new IOException("disk full")));
    }

    [Fact]
    public void TimeoutsShouldBeTransientAndBadJsonPermanent()
    {
        Assert.Equal(RetryKind.Transient, FailurePolicy.Decide(new TimeoutException()).Kind);
        Assert.Equal(new RetryDecision(RetryKind.Permanent, "InvalidJson"), FailurePolicy.Decide(new JsonException("bad")));
    }

    [Fact]
    public void AnUnknownExceptionShouldBeRetriedABoundedNumberOfTimesThenGivenUp()
    {
        var d = FailurePolicy.Decide(new InvalidOperationException("?"));
        Assert.Equal(new RetryDecision(RetryKind.Bounded, "InvalidOperationException"), d);
        Assert.True(d.ShouldRetry(1));
        Assert.True(d.ShouldRetry(RetryDecision.BoundedAttempts - 1));
        Assert.False(d.ShouldRetry(RetryDecision.BoundedAttempts));
        Assert.True(new RetryDecision(RetryKind.Transient, "x").ShouldRetry(1000));
    }
}
