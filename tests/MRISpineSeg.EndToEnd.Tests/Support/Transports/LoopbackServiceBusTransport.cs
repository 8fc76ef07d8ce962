using Azure.Messaging.ServiceBus;
using MRISpineSeg.Pipeline.Hosting;
using MRISpineSeg.Pipeline.Queues;
using MRISpineSeg.ServiceBusLoopback;

namespace MRISpineSeg.EndToEnd.Tests.Support.Transports;

/// <summary>
/// Azure Service Bus through the real <c>Azure.Messaging.ServiceBus</c> client, against the loopback AMQP endpoint
/// (<see cref="LoopbackServiceBus"/>, test support) — a class fixture, one endpoint and one client per test class.
/// Each test's queue gets the test's lease as its lock duration and one more delivery than the worker's own limit,
/// as <c>infra/app/servicebus.bicep</c> sets it, so the worker (not the broker) sees the over-limit delivery and
/// records the failure; the broker's limit stays the backstop.
/// </summary>
public sealed class LoopbackServiceBusTransport : TransportUnderTest, IAsyncLifetime
{
    private ServiceBusClient? _client;

    public LoopbackServiceBus Bus { get; } = LoopbackServiceBus.Start();

    public ServiceBusClient Client => _client ?? throw new InvalidOperationException("fixture not initialised");

    public Task InitializeAsync()
    {
        _client = new ServiceBusClient(Bus.ConnectionString, new ServiceBusClientOptions
        {
            TransportType = ServiceBusTransportType.AmqpTcp,
            RetryOptions = new ServiceBusRetryOptions { MaxRetries = 2, Delay = TimeSpan.FromMilliseconds(100), TryTimeout = TimeSpan.FromSeconds(20) },
        });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        if (_client is not null) await _client.DisposeAsync();
        await Bus.DisposeAsync();
    }

    public override Task<IJobQueue> CreateAsync(PipelineClients clients, PipelineSettings options)
    {
        Bus.CreateQueue(options.JobQueueName, new LoopbackQueueOptions
        {
            LockDuration = options.Lease,
            MaxDeliveryCount = options.MaxDeliveryCount + 1,
        });
        return Task.FromResult<IJobQueue>(new ServiceBusJobQueue(Client, options.JobQueueName));
    }

    public override async Task SendRawAsync(TestPipeline pipeline, BinaryData body)
    {
        await using var sender = Client.CreateSender(pipeline.Queue.Name);
        await sender.SendMessageAsync(new ServiceBusMessage(body));
    }

    public override Task DeleteAsync(TestPipeline pipeline)
    {
        Bus.DeleteQueue(pipeline.Queue.Name);
        return Task.CompletedTask;
    }
}
