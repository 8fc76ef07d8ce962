using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace MRISpineSeg.Pipeline.Telemetry;

/// <summary>
/// What every host listens to; the host adds only its exporter (Azure Monitor in the Function app and the worker,
/// console or OTLP for <c>spineseg local up --telemetry</c>, in-memory in tests).
/// </summary>
public static class TelemetryRegistration
{
    /// <summary>The product's activity sources, and the processor that puts the job id on every span of a job.</summary>
    public static TracerProviderBuilder AddPipelineInstrumentation(this TracerProviderBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddSource([.. PipelineTelemetry.ActivitySourceNames]).AddProcessor(new JobIdSpanProcessor());
    }

    /// <summary>The product's meter (<see cref="PipelineMetrics"/>).</summary>
    public static MeterProviderBuilder AddPipelineInstrumentation(this MeterProviderBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddMeter(PipelineTelemetry.MeterName);
    }

    /// <summary>
    /// OpenTelemetry traces, metrics and logs (every <c>ILogger</c> record, with the trace and span it was written in)
    /// for a host named <paramref name="serviceName"/> (the <c>service.name</c> resource, e.g. <c>spineseg-worker</c>).
    /// Nothing leaves the process until the host adds an exporter to the returned builder.
    /// </summary>
    public static OpenTelemetryBuilder AddPipelineTelemetry(this IServiceCollection services, string serviceName)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrEmpty(serviceName);
        return services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(serviceName))
            .WithTracing(t => t.AddPipelineInstrumentation())
            .WithMetrics(m => m.AddPipelineInstrumentation())
            .WithLogging(configureBuilder: null, configureOptions: o => (o.IncludeFormattedMessage, o.IncludeScopes) = (true, true));
    }
}
