using System.Text;
using MRISpineSeg.Pipeline.Contracts;

namespace MRISpineSeg.Pipeline.Tests.Contracts;

public sealed class JobMessageCodecTests
{
    private static readonly JobMessage Sample = JobMessage.Create("site-a/Case3.nii.gz", "\"0x8DC1\"", 123456, "vnet-w16-paddleseg", new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public void MessageShouldRoundTripThroughJson()
        => Assert.Equal(Sample, JobMessageCodec.Parse(JobMessageCodec.Serialize(Sample)));

    [Fact]
    public void JsonShouldCarryEveryContractField()
    {
        var json = Encoding.UTF8.GetString(JobMessageCodec.Serialize(Sample));
        foreach (var field in new[] { "\"schemaVersion\":1", "\"jobId\":", "\"blobName\":\"site-a/Case3.nii.gz\"", "\"etag\":", "\"length\":123456", "\"modelId\":\"vnet-w16-paddleseg\"", "\"enqueuedAt\":\"2026-11-26T12:00:00.0000000" })
            Assert.Contains(field, json, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownSchemaVersionShouldBeRefusedWithTheVersionsNamed()
    {
        var ex = Assert.Throws<PipelineException>(() => JobMessageCodec.Parse(JobMessageCodec.Serialize(Sample with { SchemaVersion = 2 })));
        Assert.Equal(PipelineErrorReason.InvalidMessage, ex.Reason);
        Assert.False(ex.IsTransient);
        Assert.Contains("schemaVersion 2 is not supported; this build reads version 1", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not json", "not JSON")]
    [InlineData("[1,2]", "expected an object")]
    [InlineData("{\"schemaVersion\":1}", "field \"jobId\" is missing")]
    [InlineData("{\"schemaVersion\":\"1\"}", "expected an integer")]
    [InlineData("{}", "field \"schemaVersion\" is missing")]
    public void MalformedBodyShouldNameWhatIsWrong(string body, string expected)
    {
        var ex = Assert.Throws<PipelineException>(() => JobMessageCodec.Parse(Encoding.UTF8.GetBytes(body)));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void JobIdThatDoesNotMatchBlobAndETagShouldBeRefused()
    {
        var forged = Sample with { JobId = JobIds.For("other.nii.gz", Sample.ETag) };
        var ex = Assert.Throws<PipelineException>(() => JobMessageCodec.Parse(JobMessageCodec.Serialize(forged)));
        Assert.Contains("does not match blobName and etag", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NegativeLengthShouldBeRefused()
        => Assert.Throws<PipelineException>(() => JobMessageCodec.Parse(JobMessageCodec.Serialize(Sample with { Length = -1 })));

    [Fact]
    public void BlobNameThatIsNotAScanShouldBeRefused()
    {
        var m = JobMessage.Create("notes.txt", "\"e\"", 1, "m", DateTimeOffset.UtcNow);
        var ex = Assert.Throws<PipelineException>(() => JobMessageCodec.Parse(JobMessageCodec.Serialize(m)));
        Assert.Equal(PipelineErrorReason.InvalidBlobName, ex.Reason);
    }
}
