using System.Diagnostics;
using OpenTelemetry;

namespace MRISpineSeg.Pipeline.Telemetry;

/// <summary>
/// Puts the job id on spans started inside a job's span that do not know it, e.g. the segmenter's stages (Segmentation
/// knows nothing of jobs): the nearest in-process ancestor's <see cref="PipelineTelemetry.JobIdAttribute"/> is copied.
/// </summary>
internal sealed class JobIdSpanProcessor : BaseProcessor<Activity>
{
    public override void OnStart(Activity data)
    {
        if (data.GetTagItem(PipelineTelemetry.JobIdAttribute) is not null) return;
        for (var parent = data.Parent; parent is not null; parent = parent.Parent)
        {
            if (parent.GetTagItem(PipelineTelemetry.JobIdAttribute) is string jobId)
            {
                data.SetTag(PipelineTelemetry.JobIdAttribute, jobId);
                return;
            }
        }
    }
}
