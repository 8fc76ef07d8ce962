using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using MRISpineSeg.Pipeline.Telemetry;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace MRISpineSeg.Cli.Local;

/// <summary>
/// <c>local up --telemetry none|console|otlp</c>: where the local host's traces, metrics and logs go. Off (<c>none</c>)
/// unless asked. <c>console</c> prints each span, metric and log record on stdout; <c>otlp</c> sends them to an
/// OpenTelemetry collector (gRPC on http://localhost:4317, or wherever the standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>
/// and <c>OTEL_EXPORTER_OTLP_PROTOCOL</c> say). What is emitted is the deployed hosts' (<see cref="TelemetryRegistration"/>).
/// </summary>
internal static class LocalTelemetry
{
    public const string ServiceName = "spineseg-local";

    private static readonly string[] Choices = ["none", "console", "otlp"];

    public static Option<string> Option() => new("--telemetry")
    {
        Description = "Export traces, metrics and logs: none (default), console (stdout), or otlp (a collector at $OTEL_EXPORTER_OTLP_ENDPOINT, default http://localhost:4317).",
        DefaultValueFactory = _ => "none",
        CustomParser = result =>
        {
            var value = result.Tokens.Count == 0 ? "none" : result.Tokens[0].Value.Trim().ToLowerInvariant();
            if (!Choices.Contains(value)) result.AddError($"--telemetry: \"{result.Tokens[0].Value}\" is not an exporter; use one of {string.Join(", ", Choices)}");
            return value;
        },
    };

    /// <summary>Adds the pipeline's telemetry with the chosen exporter; nothing for <c>none</c>.</summary>
    public static IServiceCollection AddLocalTelemetry(this IServiceCollection services, string export)
    {
        switch (export)
        {
            case "none":
                return services;
            case "console":
                services.AddPipelineTelemetry(ServiceName)
                    .WithTracing(t => t.AddConsoleExporter())
                    .WithMetrics(m => m.AddConsoleExporter())
                    .WithLogging(l => l.AddConsoleExporter());
                return services;
            case "otlp":
                services.AddPipelineTelemetry(ServiceName).UseOtlpExporter();
                return services;
            default:
                throw new CliUsageException($"--telemetry: \"{export}\" is not an exporter; use one of {string.Join(", ", Choices)}");
        }
    }

    /// <summary>
    /// Builds the providers so they listen from now on (a generic host would start them; the local host is a plain
    /// service provider). Disposing the provider flushes what is still buffered.
    /// </summary>
    public static void Start(IServiceProvider provider)
    {
        provider.GetService<TracerProvider>();
        provider.GetService<MeterProvider>();
        provider.GetService<LoggerProvider>();
    }
}
