using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MRISpineSeg.Pipeline;
using MRISpineSeg.Pipeline.Handlers;

namespace MRISpineSeg.Functions;

/// <summary>Where the Functions host gets its <see cref="ISubmissionScorer"/>: the Scoring library's adapter is registered here.</summary>
internal static class ScorerRegistration
{
    public static IServiceCollection AddScorer(this IServiceCollection services, IConfiguration configuration)
    {
        _ = configuration;
        services.AddSingleton<ISubmissionScorer>(_ =>
            throw new PipelineException(PipelineErrorReason.NotConfigured, "no submission scorer adapter is registered in this build; submissions cannot be scored"));
        return services;
    }
}
