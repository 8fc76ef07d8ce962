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

    private const string TraceParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

    [Fact]
    public void TraceContextShouldRoundTripThroughJson()
    {
        var traced = Sample with { TraceParent = TraceParent, TraceState = "congo=t61rcWkgMzE" };

        var parsed = JobMessageCodec.Parse(JobMessageCodec.Serialize(traced));

        Assert.Equal(TraceParent, parsed.TraceParent);
        Assert.Equal("congo=t61rcWkgMzE", parsed.TraceState);
        Assert.Equal(traced, parsed);
    }

    [Fact]
    public void MessageWithoutTraceContextShouldNotWriteTheFields()
        => Assert.DoesNotContain("trace", Encoding.UTF8.GetString(JobMessageCodec.Serialize(Sample)), StringComparison.OrdinalIgnoreCase);

    [Fact]
    public void MessageOfAnEarlierBuildWithoutTraceContextShouldStillBeRead()
    {
        // Exactly what a build before the trace context wrote: version 1, no traceParent.
        var json = $"{{\"schemaVersion\":1,\"jobId\":\"{Sample.JobId}\",\"blobName\":\"site-a/Case3.nii.gz\",\"etag\":\"\\\"0x8DC1\\\"\",\"length\":123456,\"modelId\":\"vnet-w16-paddleseg\",\"enqueuedAt\":\"2026-11-26T12:00:00.0000000+00:00\"}}";

        var parsed = JobMessageCodec.Parse(Encoding.UTF8.GetBytes(json));

        Assert.Equal(Sample, parsed);
        Assert.Null(parsed.TraceParent);
    }

    [Theory]
    [InlineData("\"traceParent\":\"not-a-trace\"", "field \"traceParent\" \"not-a-trace\" is not a trace context; expected 00-<32 hex trace id>")]
    [InlineData("\"traceParent\":\"00-00000000000000000000000000000000-b7ad6b7169203331-01\"", "is not a trace context")]
    [InlineData("\"traceParent\":7", "field \"traceParent\" is a JSON Number, expected a string")]
    [InlineData("\"traceState\":\"a=b\"", "field \"traceState\" is given without \"traceParent\"")]
    public void MalformedTraceContextShouldBeRefusedNamingTheField(string field, string expected)
    {
        var json = Encoding.UTF8.GetString(JobMessageCodec.Serialize(Sample)).TrimEnd('}') + "," + field + "}";

        var ex = Assert.Throws<PipelineException>(() => JobMessageCodec.Parse(Encoding.UTF8.GetBytes(json)));

        Assert.Equal(PipelineErrorReason.InvalidMessage, ex.Reason);
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }
}
