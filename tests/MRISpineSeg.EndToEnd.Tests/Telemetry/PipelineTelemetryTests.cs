using System.Diagnostics;
using Microsoft.Extensions.Logging;
using MRISpineSeg.Cli.Local;
using MRISpineSeg.EndToEnd.Tests.Support;
using MRISpineSeg.Imaging.Volumes;
using MRISpineSeg.Pipeline.Contracts;
using MRISpineSeg.Pipeline.Handlers;
using MRISpineSeg.Pipeline.Jobs;
using MRISpineSeg.Pipeline.Telemetry;

namespace MRISpineSeg.EndToEnd.Tests.Telemetry;

/// <summary>
/// What a host exports, captured in memory, for scans run by the local host (the CLI's <c>local up</c>: container
/// watcher, upload check, storage queue, worker loop) on real Azurite with a real ONNX model: one trace per scan from
/// the upload check through the queue to every stage of the worker, the job id on every span, the metrics, and the
/// logs inside the trace.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class PipelineTelemetryTests(Azurite azurite, RandomModelFixture model) : IClassFixture<RandomModelFixture>
{
    [Fact]
    public async Task OneScanShouldBeOneTraceHoldingEveryStageWithTheJobIdOnEverySpan()
    {
        using var telemetry = new TelemetryCapture();
        await using var p = await TestPipeline.StartAsync(azurite, segmenter: model.Segmenter);
        var name = await p.UploadScanAsync("Case5.nii.gz", TestVolumes.Bytes(SmallPhantoms.Generate(seed: 5).Image, "Case5.nii.gz"));

        await RunLocalHostAsync(p, telemetry.Logging);

        var check = telemetry.UploadCheckOf(name);
        var jobId = Assert.IsType<string>(check.GetTagItem(PipelineTelemetry.JobIdAttribute));
        Assert.Equal(JobIds.For(name, (await p.Blob(ContainerNames.Scans, name).GetPropertiesAsync()).Value.ETag.ToString()), jobId);
        var trace = telemetry.Trace(check.TraceId);
        Assert.Equal(TelemetryStages.ScanTrace.Order(StringComparer.Ordinal), trace.Select(s => s.OperationName).Order(StringComparer.Ordinal));
        Assert.All(trace, s => Assert.Equal(jobId, s.GetTagItem(PipelineTelemetry.JobIdAttribute)));

        // The worker's spans continue the upload check across the queue; the stages sit inside the job.
        var span = trace.ToDictionary(s => s.OperationName);
        Assert.Equal(check.SpanId, span[TelemetryStages.QueueWait].ParentSpanId);
        Assert.Equal(check.SpanId, span[TelemetryStages.Job].ParentSpanId);
        foreach (var stage in new[] { TelemetryStages.Download, TelemetryStages.Read, TelemetryStages.Preprocess, TelemetryStages.Infer, TelemetryStages.Postprocess, TelemetryStages.Write })
            Assert.Equal(span[TelemetryStages.Job].SpanId, span[stage].ParentSpanId);
        Assert.True(span[TelemetryStages.QueueWait].StartTimeUtc <= span[TelemetryStages.Job].StartTimeUtc);
        Assert.True(span[TelemetryStages.Infer].Duration > TimeSpan.Zero);
        Assert.All(trace, s => Assert.NotEqual(ActivityStatusCode.Error, s.Status));

        // Logs go through OpenTelemetry and sit in the trace they were written in.
        Assert.Contains(telemetry.Logs, l => l.TraceId == check.TraceId && l.CategoryName == typeof(SegmentScanHandler).FullName && l.Attributes!.Any(a => a.Key == "JobId" && Equals(a.Value, jobId)));
        Assert.Contains(telemetry.Logs, l => l.TraceId == check.TraceId && l.CategoryName == typeof(ScanUploadedHandler).FullName);
    }

    [Fact]
    public async Task MetricsShouldCountScansSegmentedInferenceTimeQueueWaitAndFailuresByReason()
    {
        using var telemetry = new TelemetryCapture();
        await using var p = await TestPipeline.StartAsync(azurite, segmenter: model.Segmenter);
        var phantom = SmallPhantoms.Generate(seed: 6);
        await p.UploadScanAsync("Case6.nii.gz", TestVolumes.Bytes(phantom.Image, "Case6.nii.gz"));
        await p.UploadScanAsync("Case7.nii.gz", TestVolumes.Bytes(SmallPhantoms.Generate(seed: 7).Image, "Case7.nii.gz"));
        var blank = new Volume(phantom.Image.Shape, new VoxelBuffer<short>(new short[phantom.Image.Shape.Count]), phantom.Image.Geometry);
        await p.UploadScanAsync("Case8.nii.gz", TestVolumes.Bytes(blank, "Case8.nii.gz")); // passes the upload check, refused by the segmenter
        await p.UploadScanAsync("Case9.nii.gz", [1, 2, 3]); // refused by the upload check

        await RunLocalHostAsync(p, telemetry.Logging);

        var modelTag = (PipelineMetrics.ModelIdAttribute, model.ModelId);
        Assert.Equal(2, telemetry.Measured(PipelineMetrics.ScansSegmented, modelTag).Count);
        var inference = telemetry.Measured(PipelineMetrics.InferenceDuration, modelTag);
        Assert.Equal(2, inference.Count);
        Assert.InRange(inference.Sum, 1e-6, 60); // seconds, not milliseconds: a 32x32x12 net takes well under a second each
        var waited = telemetry.Measured(PipelineMetrics.QueueWait);
        Assert.Equal(3, waited.Count); // the three jobs queued; the refused upload never was
        Assert.InRange(waited.Sum, 0, 180);
        Assert.Equal(1, telemetry.Measured(PipelineMetrics.Failures, (PipelineMetrics.ReasonAttribute, "InvalidScan"), (PipelineMetrics.StageAttribute, "segment")).Count);
        Assert.Equal(1, telemetry.Measured(PipelineMetrics.Failures, (PipelineMetrics.StageAttribute, "upload")).Count);
        Assert.Equal(2, telemetry.Measured(PipelineMetrics.Failures).Count);
    }

    /// <summary>Runs the CLI's local host over this test's prefix until the queue stays empty.</summary>
    private static async Task RunLocalHostAsync(TestPipeline p, ILoggerFactory logging)
    {
        var segment = new SegmentScanHandler(p.Storage, p.SegmenterPort, p.Options, logging.CreateLogger<SegmentScanHandler>());
        var host = new LocalPipelineHost(
            p.Storage,
            p.Options,
            new ScanUploadedHandler(p.Storage, p.Queue, p.Options, logging.CreateLogger<ScanUploadedHandler>()),
            scoring: null,
            new JobReceiveLoop(p.Queue, new JobDeliverySettler(segment, p.Storage, p.Options, logging.CreateLogger<JobDeliverySettler>()), p.Options, logging.CreateLogger<JobReceiveLoop>()),
            logging.CreateLogger<LocalPipelineHost>())
        {
            WatchPrefix = p.Prefix,
            PollInterval = TimeSpan.FromMilliseconds(100),
        };
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await host.RunAsync(limit.Token);
    }
}
