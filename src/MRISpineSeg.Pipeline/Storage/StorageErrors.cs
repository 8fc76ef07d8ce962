using Azure;

namespace MRISpineSeg.Pipeline.Storage;

/// <summary>Turns SDK failures into <see cref="PipelineException"/> with a transient/permanent decision.</summary>
public static class StorageErrors
{
    /// <summary>408, 429 and 5xx (and no status: the service was not reached) are transient; the rest are not.</summary>
    public static bool IsTransientStatus(int status) => status is 0 or 408 or 429 or >= 500;

    /// <summary>
    /// A storage call's failure as the SDK reports it: one <see cref="RequestFailedException"/>, or, when its retry
    /// policy gave up on a service it never reached, an <see cref="AggregateException"/> of them ("Retry failed after
    /// 4 tries"). The second names neither the operation nor the blob, so call sites wrap both.
    /// </summary>
    public static bool IsStorageFailure(Exception ex)
        => ex is RequestFailedException || (ex is AggregateException a && a.InnerExceptions.Count > 0 && a.InnerExceptions.All(e => e is RequestFailedException));

    /// <summary>Names <paramref name="what"/> was being done; retries exhausted count as transient (the job is retried later).</summary>
    public static PipelineException Wrap(Exception ex, string what) => ex switch
    {
        RequestFailedException r => Wrap(r, what),
        AggregateException a when IsStorageFailure(a) => new PipelineException(PipelineErrorReason.ServiceUnavailable,
            $"{what}: the service could not be reached in {a.InnerExceptions.Count} tries ({FirstLine(a.InnerExceptions[^1].Message)}); will retry", ex),
        _ => throw new ArgumentException($"not a storage failure: {ex.GetType().Name}", nameof(ex)),
    };

    public static PipelineException Wrap(RequestFailedException ex, string what)
        => ex.Status == 0
            ? new PipelineException(PipelineErrorReason.ServiceUnavailable, $"{what}: the service could not be reached ({FirstLine(ex.Message)}); will retry", ex)
            : IsTransientStatus(ex.Status)
            ? new PipelineException(PipelineErrorReason.ServiceUnavailable, $"{what}: the service answered {ex.Status} {ex.ErrorCode}; will retry", ex)
            : new PipelineException(PipelineErrorReason.Configuration, $"{what}: the service refused with {ex.Status} {ex.ErrorCode}: {FirstLine(ex.Message)}", ex);

    private static string FirstLine(string s)
    {
        var i = s.IndexOf('\n');
        return (i < 0 ? s : s[..i]).Trim();
    }
}
