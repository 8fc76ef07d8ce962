namespace MRISpineSeg.Pipeline;

/// <summary>
/// The single exception of the pipeline layer. <see cref="IsTransient"/> decides retry (abandon) versus
/// dead-letter; the message names the blob or message and the field at fault.
/// </summary>
public sealed class PipelineException : Exception
{
    public PipelineException(PipelineErrorReason reason, string message, Exception? inner = null)
        : base(message, inner)
    {
        Reason = reason;
    }

    public PipelineErrorReason Reason { get; }

    /// <summary>True when the same work may succeed if retried later.</summary>
    public bool IsTransient => Reason is PipelineErrorReason.ServiceUnavailable or PipelineErrorReason.LeaseLost;
}
