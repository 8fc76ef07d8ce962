using System.Diagnostics;

namespace MRISpineSeg.Pipeline.Telemetry;

/// <summary>
/// The W3C trace context a job carries through the queue (the job JSON's optional <c>traceParent</c> and
/// <c>traceState</c>), so that the worker's spans join the upload check's trace whichever transport carried the job.
/// </summary>
public static class JobTraceContext
{
    /// <summary>What a valid <c>traceParent</c> looks like, for error messages.</summary>
    public const string Format = "00-<32 hex trace id>-<16 hex span id>-<2 hex flags> (W3C traceparent)";

    /// <summary>The current span's context to send with a job; nulls when no span is being recorded here.</summary>
    public static (string? TraceParent, string? TraceState) Current()
    {
        var current = Activity.Current;
        if (current is null || current.IdFormat != ActivityIdFormat.W3C) return (null, null);
        return (current.Id, string.IsNullOrEmpty(current.TraceStateString) ? null : current.TraceStateString);
    }

    /// <summary>True when <paramref name="traceParent"/> is a W3C traceparent this build can continue.</summary>
    public static bool IsValid(string traceParent, string? traceState)
        => ActivityContext.TryParse(traceParent, traceState, isRemote: true, out _);

    /// <summary>The remote parent a job's worker spans continue; default (a new trace) when the job carries none.</summary>
    public static ActivityContext ParentOf(string? traceParent, string? traceState)
        => traceParent is not null && ActivityContext.TryParse(traceParent, traceState, isRemote: true, out var context) ? context : default;
}
