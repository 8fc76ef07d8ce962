using System.Diagnostics;
using MRISpineSeg.Pipeline.Contracts;

namespace MRISpineSeg.Pipeline.Telemetry;

/// <summary>Starts the spans of a scan's trace, each with the job id, on <see cref="PipelineTelemetry.Source"/>.</summary>
internal static class JobSpans
{
    /// <summary>The upload check's span (a new trace, or a child of the trigger's span, e.g. the Function invocation).</summary>
    public static Activity? StartUploadCheck(string blobName)
    {
        var activity = PipelineTelemetry.Source.StartActivity(TelemetryStages.UploadCheck, ActivityKind.Producer);
        activity?.SetTag(PipelineTelemetry.BlobNameAttribute, blobName);
        return activity;
    }

    /// <summary>Names the job on the current upload-check span once its id is known, and returns the job with the trace context to carry.</summary>
    public static JobMessage Carry(JobMessage job)
    {
        Activity.Current?.SetTag(PipelineTelemetry.JobIdAttribute, job.JobId);
        var (traceParent, traceState) = JobTraceContext.Current();
        return job with { TraceParent = traceParent, TraceState = traceState };
    }

    /// <summary>
    /// On the worker: records how long the job waited (a <see cref="TelemetryStages.QueueWait"/> span from its enqueue
    /// time to <paramref name="now"/>, and the <see cref="PipelineMetrics.QueueWait"/> histogram), then starts the job's
    /// span. Both continue the trace the job carries; a job without one starts a new trace.
    /// </summary>
    public static Activity? StartJob(JobMessage job, int delivery, DateTimeOffset now)
    {
        var parent = JobTraceContext.ParentOf(job.TraceParent, job.TraceState);
        PipelineMetrics.RecordQueueWait(now - job.EnqueuedAt);
        var tags = new ActivityTagsCollection
        {
            [PipelineTelemetry.JobIdAttribute] = job.JobId,
            [PipelineTelemetry.BlobNameAttribute] = job.BlobName,
            [PipelineTelemetry.DeliveryAttribute] = delivery,
        };
        using (var wait = PipelineTelemetry.Source.StartActivity(TelemetryStages.QueueWait, ActivityKind.Consumer, parent, tags, startTime: job.EnqueuedAt))
        {
            wait?.SetEndTime(now > job.EnqueuedAt ? now.UtcDateTime : job.EnqueuedAt.UtcDateTime);
        }

        return PipelineTelemetry.Source.StartActivity(TelemetryStages.Job, ActivityKind.Consumer, parent, tags);
    }

    /// <summary>A stage span inside the current job's span (the job id is copied from it by <see cref="JobIdSpanProcessor"/>).</summary>
    public static Activity? StartStage(string stage) => PipelineTelemetry.Source.StartActivity(stage);
}
