using System.Text.Json;
using System.Text.Json.Serialization;

namespace MRISpineSeg.Pipeline.Status;

/// <summary>The JSON the status endpoint serves: camelCase, the state as a lowercase word, absent values as null.</summary>
public static class JobStatusJson
{
    private static readonly JsonSerializerOptions Options = Imaging.IO.FiniteJson.WithFiniteNumbers(new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping, // "RAS→PSR" as written; served as application/json, never inside HTML
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    });

    public static byte[] Serialize(JobStatus status) => JsonSerializer.SerializeToUtf8Bytes(status, Options);

    public static JobStatus? Deserialize(ReadOnlySpan<byte> json) => JsonSerializer.Deserialize<JobStatus>(json, Options);

    public static byte[] Error(string message) => JsonSerializer.SerializeToUtf8Bytes(new { error = message }, Options);
}
