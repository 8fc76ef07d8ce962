namespace MRISpineSeg.Pipeline.Hosting;

/// <summary>What a host is configured with: the pipeline's settings and how to reach storage and Service Bus.</summary>
public sealed record HostSettings(PipelineSettings Pipeline, StorageOptions Storage, ServiceBusOptions ServiceBus);
