using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using MRISpineSeg.Pipeline.Adapters;
using MRISpineSeg.Pipeline.Storage;
using MRISpineSeg.Segmentation;
using MRISpineSeg.Segmentation.Model.Inference;
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
    public const string ModelThreadsSetting = nameof(PipelineSettings.ModelThreads);

    /// <summary>
    /// Optional setting: <c>Cpu</c> (default) or <c>Cuda</c>. A host configured for CUDA that cannot create a CUDA
    /// session does not start: the model fails to load with the missing library, driver or device named, and the worker
    /// exits non-zero, so the job execution fails visibly instead of running about 100× slower on the node's CPU.
    /// </summary>
    public const string ModelDeviceSetting = nameof(PipelineSettings.ModelDevice);

    /// <summary>
    /// Optional setting: <c>true</c> or <c>false</c> keeps or drops the largest-component clean-up (each label keeps
    /// only its largest 26-connected component); unset, the model's manifest decides (<c>spineseg model info</c>).
    /// </summary>
    public const string KeepLargestComponentSetting = nameof(PipelineSettings.KeepLargestComponent);

    /// <summary>The segmenter, from settings bound from <paramref name="configuration"/>.</summary>
    public static IServiceCollection AddScanSegmenter(this IServiceCollection services, IConfiguration configuration)
        => services.AddScanSegmenter(PipelineSettings.From(configuration));

    /// <summary>The segmenter: the model is located and loaded once, when the first component asks for it.</summary>
    public static IServiceCollection AddScanSegmenter(this IServiceCollection services, PipelineSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        services.TryAddSingleton<IScanSegmenter>(sp =>
        {
            var logger = sp.GetService<ILoggerFactory>()?.CreateLogger<OnnxScanSegmenter>();
            var modelPath = ModelLocation.Resolve(settings, sp.GetRequiredService<PipelineStorage>, logger);
            var options = new OnnxNetworkOptions
            {
                IntraOpThreads = settings.ModelThreads,
                Device = settings.ModelDevice,
                RequireDevice = settings.ModelDevice == ExecutionDevice.Cuda,
                Logger = logger,
            };
            try
            {
                return OnnxScanSegmenter.Load(modelPath, options, new SegmenterOptions { KeepLargestComponent = settings.KeepLargestComponent });
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

    /// <summary>The scorer, from settings bound from <paramref name="configuration"/>.</summary>
    public static IServiceCollection AddSubmissionScorer(this IServiceCollection services, IConfiguration configuration)
        => services.AddSubmissionScorer(PipelineSettings.From(configuration));

    /// <summary>The scorer, publishing per-case scores to teams only when <see cref="PipelineSettings.PublishPerCaseScores"/> says so.</summary>
    public static IServiceCollection AddSubmissionScorer(this IServiceCollection services, PipelineSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        services.TryAddSingleton<ISubmissionScorer>(_ => new ScoringSubmissionScorer(publishPerCase: settings.PublishPerCaseScores));
        return services;
    }
}
