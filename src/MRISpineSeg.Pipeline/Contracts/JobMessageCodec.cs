using System.Globalization;
using System.Text.Json;

namespace MRISpineSeg.Pipeline.Contracts;

/// <summary>
/// JSON form of <see cref="JobMessage"/>: camelCase fields, UTF-8. Parsing checks every field and names the first bad
/// one, so a malformed message is dead-lettered with a reason a person can act on.
/// </summary>
public static class JobMessageCodec
{
    public const string ContentType = "application/json";

    /// <summary>The label (Service Bus <c>Subject</c>) that marks a segmentation job.</summary>
    public const string Subject = "segment-scan";

    public static byte[] Serialize(JobMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteNumber("schemaVersion", message.SchemaVersion);
            w.WriteString("jobId", message.JobId);
            w.WriteString("blobName", message.BlobName);
            w.WriteString("etag", message.ETag);
            w.WriteNumber("length", message.Length);
            w.WriteString("modelId", message.ModelId);
            w.WriteString("enqueuedAt", message.EnqueuedAt.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture));
            if (message.TraceParent is not null) w.WriteString("traceParent", message.TraceParent);
            if (message.TraceState is not null) w.WriteString("traceState", message.TraceState);
            w.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>Parses and validates; throws <see cref="PipelineException"/> (<see cref="PipelineErrorReason.InvalidMessage"/>) naming the field.</summary>
    public static JobMessage Parse(ReadOnlySpan<byte> utf8Json)
    {
        JsonDocument doc;
        try
        {
            var reader = new Utf8JsonReader(utf8Json);
            doc = JsonDocument.ParseValue(ref reader);
        }
        catch (JsonException ex)
        {
            throw Invalid($"the body is not JSON ({ex.Message})");
        }

        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw Invalid($"the body is a JSON {root.ValueKind}, expected an object");
            var version = RequiredInt(root, "schemaVersion");
            if (version != JobMessage.CurrentSchemaVersion)
                throw Invalid($"schemaVersion {version} is not supported; this build reads version {JobMessage.CurrentSchemaVersion}");
            var jobId = RequiredString(root, "jobId");
            var blobName = RequiredString(root, "blobName");
            var etag = RequiredString(root, "etag");
            var length = RequiredLong(root, "length");
            var modelId = RequiredString(root, "modelId");
            var enqueuedText = RequiredString(root, "enqueuedAt");
            if (length < 0) throw Invalid($"length {length} is negative");
            if (!DateTimeOffset.TryParse(enqueuedText, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var enqueuedAt))
                throw Invalid($"enqueuedAt \"{enqueuedText}\" is not an ISO-8601 time");
            var expected = JobIds.For(blobName, etag);
            if (!string.Equals(jobId, expected, StringComparison.Ordinal))
                throw Invalid($"jobId \"{jobId}\" does not match blobName and etag (expected {expected})");
            BlobLayout.ValidateScanName(blobName);
            var (traceParent, traceState) = TraceContext(root);
            return new JobMessage(version, jobId, blobName, etag, length, modelId, enqueuedAt) { TraceParent = traceParent, TraceState = traceState };
        }
    }

    /// <summary>
    /// The optional trace context (added within schema version 1: older messages have none, older readers ignore it).
    /// When present it must be one the worker can continue; a malformed one is refused like any other bad field.
    /// </summary>
    private static (string?, string?) TraceContext(JsonElement root)
    {
        var traceParent = OptionalString(root, "traceParent");
        var traceState = OptionalString(root, "traceState");
        if (traceParent is null)
            return traceState is null ? (null, null) : throw Invalid("field \"traceState\" is given without \"traceParent\"");
        if (!Telemetry.JobTraceContext.IsValid(traceParent, traceState))
            throw Invalid($"field \"traceParent\" \"{traceParent}\" is not a trace context; expected {Telemetry.JobTraceContext.Format}");
        return (traceParent, traceState);
    }

    private static string? OptionalString(JsonElement root, string name)
        => root.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null ? RequiredString(root, name) : null;

    private static JsonElement Required(JsonElement root, string name)
        => root.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null ? v : throw Invalid($"field \"{name}\" is missing");

    private static string RequiredString(JsonElement root, string name)
    {
        var v = Required(root, name);
        if (v.ValueKind != JsonValueKind.String) throw Invalid($"field \"{name}\" is a JSON {v.ValueKind}, expected a string");
        var s = v.GetString()!;
        return s.Length > 0 ? s : throw Invalid($"field \"{name}\" is empty");
    }

    private static int RequiredInt(JsonElement root, string name)
    {
        var v = Required(root, name);
        return v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var i) ? i : throw Invalid($"field \"{name}\" is {v.GetRawText()}, expected an integer");
    }

    private static long RequiredLong(JsonElement root, string name)
    {
        var v = Required(root, name);
        return v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var i) ? i : throw Invalid($"field \"{name}\" is {v.GetRawText()}, expected an integer");
    }

    private static PipelineException Invalid(string problem)
        => new(PipelineErrorReason.InvalidMessage, $"job message: {problem}");
}
