using System.Diagnostics;
using Microsoft.Extensions.Logging;
using MRISpineSeg.Pipeline.Telemetry;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace MRISpineSeg.EndToEnd.Tests.Support;

/// <summary>
/// What a host would export, kept in memory: the product's spans, metrics and logs, through the same instrumentation
/// the hosts register (<see cref="TelemetryRegistration"/>) and OpenTelemetry's in-memory exporter. Spans are
/// process-wide, so tests pick theirs by blob name and trace id.
/// </summary>
public sealed class TelemetryCapture : IDisposable
{
    private readonly TracerProvider _tracing;
    private readonly MeterProvider _metering;

    public TelemetryCapture()
    {
        _tracing = Sdk.CreateTracerProviderBuilder().AddPipelineInstrumentation().AddInMemoryExporter(Spans).Build()!;
        _metering = Sdk.CreateMeterProviderBuilder().AddPipelineInstrumentation().AddInMemoryExporter(Metrics).Build()!;
        Logging = LoggerFactory.Create(b => b.AddOpenTelemetry(o => o.AddInMemoryExporter(Logs)));
    }

    public List<Activity> Spans { get; } = [];

    public List<MetricSnapshot> Metrics { get; } = [];

    public List<LogRecord> Logs { get; } = [];

    /// <summary>A logger factory whose records go through OpenTelemetry into <see cref="Logs"/>.</summary>
    public ILoggerFactory Logging { get; }

    /// <summary>The upload check of <paramref name="blobName"/>: where a scan's trace starts.</summary>
    public Activity UploadCheckOf(string blobName)
    {
        _tracing.ForceFlush();
        return Assert.Single(Spans, s => s.OperationName == TelemetryStages.UploadCheck && Equals(s.GetTagItem(PipelineTelemetry.BlobNameAttribute), blobName));
    }

    /// <summary>Every exported span of the trace.</summary>
    public List<Activity> Trace(ActivityTraceId traceId)
    {
        _tracing.ForceFlush();
        return Spans.Where(s => s.TraceId == traceId).ToList();
    }

    /// <summary>
    /// A counter's total, or a histogram's count and sum, over the points whose tags include every one of
    /// <paramref name="tags"/>, as of now (the last export holds the cumulative values).
    /// </summary>
    public (long Count, double Sum) Measured(string instrument, params (string Key, string Value)[] tags)
    {
        _metering.ForceFlush();
        long count = 0;
        double sum = 0;
        if (Metrics.LastOrDefault(m => m.Name == instrument) is { } snapshot)
        {
            foreach (var point in snapshot.MetricPoints)
            {
                if (!tags.All(t => HasTag(point, t.Key, t.Value))) continue;
                if (snapshot.MetricType == MetricType.Histogram)
                {
                    count += point.GetHistogramCount();
                    sum += point.GetHistogramSum();
                }
                else
                {
                    count += point.GetSumLong();
                }
            }
        }

        return (count, sum);
    }

    public void Dispose()
    {
        Logging.Dispose();
        _metering.Dispose();
        _tracing.Dispose();
    }

    private static bool HasTag(MetricPoint point, string key, string value)
    {
        foreach (var tag in point.Tags)
        {
            if (tag.Key == key && Equals(tag.Value, value)) return true;
        }

        return false;
    }
}
