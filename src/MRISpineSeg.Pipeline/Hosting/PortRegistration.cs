using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MRISpineSeg.Pipeline.Handlers;

namespace MRISpineSeg.Pipeline.Hosting;

/// <summary>
/// The one place every host gets the pipeline's two ports from, so the worker, the Functions app and the local CLI
/// host run the same segmenter and scorer. The Segmentation and Scoring adapters are registered here.
/// </summary>
public static class PortRegistration
{
    /// <summary>Setting naming the ONNX model file the segmenter loads once and reuses (e.g. <c>local/models/spineseg-demo.onnx</c>).</summary>
    public const string ModelPathSetting = "ModelPath";

    public static IServiceCollection AddScanSegmenter(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddSingleton<IScanSegmenter>(_ =>
        {
            var modelPath = configuration[ModelPathSetting];
            if (string.IsNullOrWhiteSpace(modelPath))
                throw new PipelineException(PipelineErrorReason.Configuration, $"setting {ModelPathSetting} is missing; give the path of the ONNX model to load");
            if (!File.Exists(modelPath))
                throw new PipelineException(PipelineErrorReason.Configuration, $"setting {ModelPathSetting}: \"{modelPath}\" does not exist or is not a file");
            throw new PipelineException(PipelineErrorReason.NotConfigured, $"this build has no segmentation adapter behind {nameof(IScanSegmenter)}; cannot run {modelPath}");
        });
        return services;
    }

    public static IServiceCollection AddSubmissionScorer(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddSingleton<ISubmissionScorer>(_ =>
            throw new PipelineException(PipelineErrorReason.NotConfigured, $"this build has no scoring adapter behind {nameof(ISubmissionScorer)}; submissions cannot be scored"));
        return services;
    }
}
