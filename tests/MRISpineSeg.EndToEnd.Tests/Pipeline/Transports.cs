using MRISpineSeg.EndToEnd.Tests.Support;
using MRISpineSeg.EndToEnd.Tests.Support.Transports;

namespace MRISpineSeg.EndToEnd.Tests.Pipeline;

// One contract, two transports: each suite below runs every test of its contract class.

/// <summary><see cref="WorkerContract"/> on Azure Storage Queues (Azurite).</summary>
[Collection(AzuriteCollection.Name)]
public sealed class WorkerOnStorageQueueTests(Azurite azurite) : WorkerContract(azurite, new StorageQueueTransport());

/// <summary><see cref="WorkerContract"/> on Service Bus: the real client and the pipeline's ServiceBusJobQueue over AMQP on loopback.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class WorkerOnServiceBusTests(Azurite azurite, LoopbackServiceBusTransport bus) : WorkerContract(azurite, bus), IClassFixture<LoopbackServiceBusTransport>;

/// <summary><see cref="JobQueueContract"/> on Azure Storage Queues (Azurite).</summary>
[Collection(AzuriteCollection.Name)]
public sealed class JobQueueOnStorageQueueTests(Azurite azurite) : JobQueueContract(azurite, new StorageQueueTransport());

/// <summary><see cref="JobQueueContract"/> on Service Bus through the loopback AMQP endpoint.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class JobQueueOnServiceBusTests(Azurite azurite, LoopbackServiceBusTransport bus) : JobQueueContract(azurite, bus), IClassFixture<LoopbackServiceBusTransport>;
