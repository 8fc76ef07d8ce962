using Azure;
using MRISpineSeg.Imaging;
using MRISpineSeg.Pipeline.Handlers;

namespace MRISpineSeg.Pipeline.Tests.Handlers;

public sealed class FailureClassifierTests
{
    [Fact]
    public void BadVolumeShouldBePermanentWithItsReasonAsCode()
    {
        var ex = new VolumeFormatException(VolumeErrorReason.TruncatedData, "Case1.nii.gz", "voxel data", "ends early");
        Assert.False(FailureClassifier.IsTransient(ex));
        Assert.Equal("TruncatedData", FailureClassifier.ReasonCode(ex));
    }

    [Theory]
    [InlineData(500, true)]
    [InlineData(503, true)]
    [InlineData(429, true)]
    [InlineData(408, true)]
    [InlineData(0, true)]
    [InlineData(403, false)]
    [InlineData(404, false)]
    public void StorageFailuresShouldBeTransientOnlyForRetryableStatuses(int status, bool transient)
        => Assert.Equal(transient, FailureClassifier.IsTransient(new RequestFailedException(status, "x")));

    [Fact]
    public void PipelineExceptionShouldDecideByItsReason()
    {
        Assert.True(FailureClassifier.IsTransient(new PipelineException(PipelineErrorReason.ServiceUnavailable, "x")));
        Assert.True(FailureClassifier.IsTransient(new PipelineException(PipelineErrorReason.LeaseLost, "x")));
        Assert.False(FailureClassifier.IsTransient(new PipelineException(PipelineErrorReason.BlobMissing, "x")));
        Assert.Equal("BlobMissing", FailureClassifier.ReasonCode(new PipelineException(PipelineErrorReason.BlobMissing, "x")));
    }

    [Fact]
    public void AnyLibraryExceptionWithIsTransientShouldBeReadByThatProperty()
    {
        Assert.False(FailureClassifier.IsTransient(new LibraryException(false)));
        Assert.True(FailureClassifier.IsTransient(new LibraryException(true)));
        Assert.Equal("BadLabels", FailureClassifier.ReasonCode(new LibraryException(false)));
    }

    [Fact]
    public void SegmentationAndScoringExceptionsShouldBeClassifiedByTheirOwnIsTransientAndReason()
    {
        var badScan = new Segmentation.SegmentationException(Segmentation.SegmentationErrorReason.InvalidScan, "Case1.nii.gz: blank");
        var inference = new Segmentation.SegmentationException(Segmentation.SegmentationErrorReason.InferenceFailed, "ORT failed");
        var hostileZip = new Scoring.ScoringException(Scoring.ScoringErrorReason.UnsafeArchivePath, "entry ../evil.nii.gz");
        Assert.False(FailureClassifier.IsTransient(badScan));
        Assert.True(FailureClassifier.IsTransient(inference));
        Assert.False(FailureClassifier.IsTransient(hostileZip));
        Assert.Equal("InvalidScan", FailureClassifier.ReasonCode(badScan));
        Assert.Equal("UnsafeArchivePath", FailureClassifier.ReasonCode(hostileZip));
    }

    [Fact]
    public void TimeoutsAndUnknownExceptionsShouldBeRetriedUntilTheDeliveryLimit()
    {
        Assert.True(FailureClassifier.IsTransient(new TimeoutException()));
        Assert.True(FailureClassifier.IsTransient(new InvalidOperationException()));
        Assert.Equal("InvalidOperationException", FailureClassifier.ReasonCode(new InvalidOperationException()));
    }

    private enum LibraryReason
    {
        BadLabels,
    }

    private sealed class LibraryException(bool transient) : Exception("library")
    {
        public LibraryReason Reason => LibraryReason.BadLabels;

        public bool IsTransient => transient;
    }
}
