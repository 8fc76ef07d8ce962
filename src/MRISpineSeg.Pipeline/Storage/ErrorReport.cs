using System.Text.Json;

namespace MRISpineSeg.Pipeline.Storage;

/// <summary>
/// The body of a <c>*.error.json</c> blob: what failed, why (a reason code a program can branch on), and a message a
/// person can act on. Written beside where the output would have been.
/// </summary>
public sealed record ErrorReport(
    string Source,
    string? ETag,
    string? JobId,
    string Reason,
    string Message,
    string Stage,
    DateTimeOffset At)
{
    private static readonly JsonSerializerOptions Json = Imaging.IO.FiniteJson.WithFiniteNumbers(new(JsonSerializerDefaults.Web) { WriteIndented = true });

    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this, Json);

    public static ErrorReport? TryParse(BinaryData data)
    {
        try
        {
            return data.ToObjectFromJson<ErrorReport>(Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
