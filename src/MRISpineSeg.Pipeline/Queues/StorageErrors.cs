using Azure;

namespace MRISpineSeg.Pipeline.Queues;

/// <summary>Turns SDK failures into <see cref="PipelineException"/> with a transient/permanent decision.</summary>
internal static class StorageErrors
{
    /// <summary>408, 429 and 5xx (and no status: the service was not reached) are transient; the rest are not.</summary>
    public static bool IsTransientStatus(int status) => status is 0 or 408 or 429 or >= 500;

    public static PipelineException Wrap(RequestFailedException ex, string what)
        => IsTransientStatus(ex.Status)
            ? new PipelineException(PipelineErrorReason.ServiceUnavailable, $"{what}: the service answered {ex.Status} {ex.ErrorCode}; will retry", ex)
            : new PipelineException(PipelineErrorReason.Configuration, $"{what}: the service refused with {ex.Status} {ex.ErrorCode}: {FirstLine(ex.Message)}", ex);

    private static string FirstLine(string s)
    {
        var i = s.IndexOf('\n');
        return (i < 0 ? s : s[..i]).Trim();
    }
}
