using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MRISpineSeg.Pipeline.Handlers;
using MRISpineSeg.Pipeline.Hosting;
using MRISpineSeg.Pipeline.Jobs;
using MRISpineSeg.Pipeline.Ports;
using MRISpineSeg.Pipeline.Storage;

namespace MRISpineSeg.Cli.Local;

/// <summary>Registers <see cref="LocalPipelineHost"/> over what <c>AddUploadHandling</c>, <c>AddWorker</c> and <c>AddScoring</c> registered.</summary>
public static class LocalHostRegistration
{
    public static IServiceCollection AddLocalHost(this IServiceCollection services)
    {
        services.AddSingleton(sp => new LocalPipelineHost(
            sp.GetRequiredService<PipelineStorage>(),
            sp.GetRequiredService<PipelineSettings>(),
            sp.GetRequiredService<ScanUploadedHandler>(),
            sp.GetService<ISubmissionScorer>() is null ? null : sp.GetRequiredService<ScoreSubmissionHandler>(),
            sp.GetRequiredService<JobReceiveLoop>(),
            sp.GetRequiredService<ILogger<LocalPipelineHost>>()));
        return services;
    }
}
