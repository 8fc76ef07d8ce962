using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Messaging.ServiceBus;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;

namespace MRISpineSeg.Pipeline.Hosting;

/// <summary>
/// The Azure SDK clients of one host, made once and shared (they are thread-safe). Connection strings are for
/// Azurite and emulators; anything else goes through <see cref="DefaultAzureCredential"/>.
/// </summary>
public sealed class PipelineClients : IAsyncDisposable
{
    private PipelineClients(BlobServiceClient blobs, QueueServiceClient queues, TableServiceClient tables, ServiceBusClient? serviceBus)
    {
        Blobs = blobs;
        Queues = queues;
        Tables = tables;
        ServiceBus = serviceBus;
    }

    public BlobServiceClient Blobs { get; }

    public QueueServiceClient Queues { get; }

    public TableServiceClient Tables { get; }

    /// <summary>Null when no Service Bus is configured (local runs).</summary>
    public ServiceBusClient? ServiceBus { get; }

    /// <summary>Builds the clients; throws <see cref="PipelineException"/> (<see cref="PipelineErrorReason.Configuration"/>) naming a missing setting.</summary>
    public static PipelineClients Create(StorageOptions storage, ServiceBusOptions? serviceBus = null)
    {
        ArgumentNullException.ThrowIfNull(storage);
        if (storage.NetworkTimeoutSeconds is < 1 or > 3600)
            throw new PipelineException(PipelineErrorReason.Configuration, $"setting Storage__networkTimeoutSeconds = \"{storage.NetworkTimeoutSeconds}\" is out of range; use 1..3600");
        var timeout = TimeSpan.FromSeconds(storage.NetworkTimeoutSeconds);
        var blobOptions = Retry(new BlobClientOptions(), timeout);
        var queueOptions = Retry(new QueueClientOptions { MessageEncoding = QueueMessageEncoding.None }, timeout);
        var tableOptions = Retry(new TableClientOptions(), timeout);
        BlobServiceClient blobs;
        QueueServiceClient queues;
        TableServiceClient tables;
        if (!string.IsNullOrWhiteSpace(storage.ConnectionString))
        {
            try
            {
                blobs = new BlobServiceClient(storage.ConnectionString, blobOptions);
                queues = new QueueServiceClient(storage.ConnectionString, queueOptions);
                tables = new TableServiceClient(storage.ConnectionString, tableOptions);
            }
            catch (Exception ex) when (ex is FormatException or ArgumentException or InvalidOperationException)
            {
                // The message of a connection string is not repeated: it may hold an account key.
                throw new PipelineException(PipelineErrorReason.Configuration, $"the storage connection string is not valid ({ex.GetType().Name}: {ex.Message}); give UseDevelopmentStorage=true for Azurite on this machine, or 'DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=...;BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;...'", ex);
            }
        }
        else
        {
            var credential = Credential(storage.ClientId);
            blobs = new BlobServiceClient(Require(storage.BlobServiceUri, "Storage__blobServiceUri"), credential, blobOptions);
            queues = new QueueServiceClient(Require(storage.QueueServiceUri, "Storage__queueServiceUri"), credential, queueOptions);
            tables = new TableServiceClient(Require(storage.TableServiceUri, "Storage__tableServiceUri"), credential, tableOptions);
        }

        ServiceBusClient? bus = null;
        if (serviceBus is { IsConfigured: true })
        {
            var busOptions = new ServiceBusClientOptions { TransportType = ServiceBusTransportType.AmqpTcp };
            bus = !string.IsNullOrWhiteSpace(serviceBus.ConnectionString)
                ? new ServiceBusClient(serviceBus.ConnectionString, busOptions)
                : new ServiceBusClient(serviceBus.FullyQualifiedNamespace, Credential(serviceBus.ClientId), busOptions);
        }

        return new PipelineClients(blobs, queues, tables, bus);
    }

    public async ValueTask DisposeAsync()
    {
        if (ServiceBus is not null) await ServiceBus.DisposeAsync().ConfigureAwait(false);
    }

    private static TokenCredential Credential(string? clientId)
        => new DefaultAzureCredential(new DefaultAzureCredentialOptions
        {
            ManagedIdentityClientId = string.IsNullOrWhiteSpace(clientId) ? null : clientId,
        });

    private static Uri Require(Uri? uri, string setting)
        => uri ?? throw new PipelineException(PipelineErrorReason.Configuration, $"setting {setting} is missing; give the service URI (with managed identity) or Storage__connectionString for Azurite");

    private static T Retry<T>(T options, TimeSpan networkTimeout)
        where T : ClientOptions
    {
        options.Retry.MaxRetries = 3;
        options.Retry.Delay = TimeSpan.FromMilliseconds(200);
        options.Retry.MaxDelay = TimeSpan.FromSeconds(5);
        options.Retry.NetworkTimeout = networkTimeout;
        return options;
    }
}
