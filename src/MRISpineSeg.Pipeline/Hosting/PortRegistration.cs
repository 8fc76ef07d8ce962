using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using MRISpineSeg.Pipeline.Adapters;
using MRISpineSeg.Pipeline.Handlers;
using MRISpineSeg.Pipeline.Storage;
using MRISpineSeg.Segmentation;
using MRISpineSeg.Segmentation.Model.Inference;
using MRISpineSeg.Pipeline.Jobs;
using MRISpineSeg.Pipeline.Outcomes;
using MRISpineSeg.Pipeline.Ports;

namespace MRISpineSeg.Pipeline.Hosting;

/// <summary>
/// The one place every host gets the pipeline's two ports from, so the worker, the Functions app and the local CLI
/// host run the same segmenter and scorer: <see cref="OnnxScanSegmenter"/> (one ONNX session for the process,
/// disposed with the container) and <see cref="ScoringSubmissionScorer"/>.
/// </summary>
public static class PortRegistration
{
    /// <summary>Setting naming the ONNX model file the segmenter loads once and reuses (e.g. <c>local/models/spineseg-demo.onnx</c>); see <see cref="ModelLocation"/> for the deployed alternatives.</summary>
    public const string ModelPathSetting = ModelLocation.PathSetting;

    /// <summary>Optional setting: ONNX Runtime intra-op threads (default 0: every core).</summary>
    public const string ModelThreadsSetting = "ModelThreads";

    /// <summary>
    /// Optional setting: <c>Cpu</c> (default) or <c>Cuda</c>. A host configured for CUDA that cannot create a CUDA
    /// session does not start: the model fails to load with the missing library, driver or device named, and the worker
    /// exits non-zero, so the job execution fails visibly instead of running about 100× slower on the node's CPU.
    /// </summary>
    public const string ModelDeviceSetting = "ModelDevice";

    /// <summary>
    /// Optional setting: <c>true</c> or <c>false</c> keeps or drops the largest-component clean-up (each label keeps
    /// only its largest 26-connected component); unset, the model's manifest decides (<c>spineseg model info</c>).
    /// </summary>
    public const string KeepLargestComponentSetting = "KeepLargestComponent";

    public static IServiceCollection AddScanSegmenter(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.TryAddSingleton<IScanSegmenter>(sp =>
        {
            var logger = sp.GetService<ILoggerFactory>()?.CreateLogger<OnnxScanSegmenter>();
            var modelPath = ModelLocation.Resolve(configuration, sp.GetRequiredService<PipelineStorage>, logger);
            var device = Device(configuration[ModelDeviceSetting]);
            var options = new OnnxNetworkOptions
            {
                IntraOpThreads = Threads(configuration[ModelThreadsSetting]),
                Device = device,
                RequireDevice = device == ExecutionDevice.Cuda,
                Logger = logger,
            };
            try
            {
                return OnnxScanSegmenter.Load(modelPath, options, new SegmenterOptions { KeepLargestComponent = KeepLargest(configuration[KeepLargestComponentSetting]) });
            }
            catch (SegmentationException ex)
            {
                // A model that cannot load is a deployment mistake: the host should stop with the reason, not retry jobs.
                var message = ex.Message.StartsWith(modelPath, StringComparison.Ordinal) ? ex.Message : $"model {modelPath}: {ex.Message}";
                throw new PipelineException(PipelineErrorReason.Configuration, message, ex);
            }
        });
        return services;
    }

    /// <summary>The scorer, publishing per-case scores to teams only when <see cref="PipelineOptions.PublishPerCaseScores"/> says so.</summary>
    public static IServiceCollection AddSubmissionScorer(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = PipelineOptions.From(configuration); // the same binding and checks as every other setting
        services.TryAddSingleton<ISubmissionScorer>(_ => new ScoringSubmissionScorer(publishPerCase: options.PublishPerCaseScores));
        return services;
    }

    private static int Threads(string? value)
        => ThreadCount.TryParse(value, out var n, out var problem)
            ? n
            : throw new PipelineException(PipelineErrorReason.Configuration, $"setting {ModelThreadsSetting}: {problem}");

    private static bool? KeepLargest(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        return bool.TryParse(value.Trim(), out var on)
            ? on
            : throw new PipelineException(PipelineErrorReason.Configuration, $"setting {KeepLargestComponentSetting}: \"{value}\" is not true or false (leave it unset to follow the model's manifest)");
    }

    private static ExecutionDevice Device(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return ExecutionDevice.Cpu;
        return Enum.TryParse<ExecutionDevice>(value, ignoreCase: true, out var d) && Enum.IsDefined(d)
            ? d
            : throw new PipelineException(PipelineErrorReason.Configuration, $"setting {ModelDeviceSetting}: \"{value}\" is not a device; give Cpu or Cuda");
    }
}
