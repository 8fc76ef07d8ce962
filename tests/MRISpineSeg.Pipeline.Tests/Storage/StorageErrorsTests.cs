using MRISpineSeg.Pipeline.Storage;
using Azure;
using MRISpineSeg.Pipeline.Queues;

namespace MRISpineSeg.Pipeline.Tests.Storage;

public sealed class StorageErrorsTests
{
    private static RequestFailedException Unreached() => new(0, "Connection refused (127.0.0.1:10000)", new HttpRequestException("Connection refused (127.0.0.1:10000)"));

    [Fact]
    public void RetriesExhaustedShouldNameTheOperationTheTriesAndTheLastCause()
    {
        var sdk = new AggregateException("Retry failed after 4 tries. Retry settings can be adjusted in ClientOptions.Retry.",
            Unreached(), Unreached(), Unreached(), new RequestFailedException(0, "Connection reset by peer"));

        Assert.True(StorageErrors.IsStorageFailure(sdk));
        var ex = StorageErrors.Wrap(sdk, "download scans/Case1.nii.gz");

        Assert.Equal(PipelineErrorReason.ServiceUnavailable, ex.Reason);
        Assert.True(ex.IsTransient);
        Assert.Equal("download scans/Case1.nii.gz: the service could not be reached in 4 tries (Connection reset by peer); will retry", ex.Message);
        Assert.Same(sdk, ex.InnerException);
    }

    [Fact]
    public void UnreachedWithoutRetriesShouldSaySoRatherThanStatusZero()
    {
        var ex = StorageErrors.Wrap(Unreached(), "write masks/Case1.nii.gz");

        Assert.True(ex.IsTransient);
        Assert.Equal("write masks/Case1.nii.gz: the service could not be reached (Connection refused (127.0.0.1:10000)); will retry", ex.Message);
    }

    [Fact]
    public void RefusalShouldBePermanentAndQuoteTheServiceFirstLine()
    {
        var ex = StorageErrors.Wrap(new RequestFailedException(403, "This request is not authorized.\nRequestId:1", "AuthorizationFailure", null), "read job j1");

        Assert.Equal(PipelineErrorReason.Configuration, ex.Reason);
        Assert.False(ex.IsTransient);
        Assert.Equal("read job j1: the service refused with 403 AuthorizationFailure: This request is not authorized.", ex.Message);
    }

    [Fact]
    public void OtherAggregatesShouldNotBeTakenForStorageFailures()
    {
        Assert.False(StorageErrors.IsStorageFailure(new AggregateException(new IOException("disk full"))));
        Assert.False(StorageErrors.IsStorageFailure(new AggregateException()));
        Assert.False(StorageErrors.IsStorageFailure(new InvalidOperationException()));
        Assert.Throws<ArgumentException>(() => StorageErrors.Wrap(new IOException("disk full"), "x"));
    }
}
