using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MRISpineSeg.EndToEnd.Tests.Support;
using MRISpineSeg.Pipeline;
using MRISpineSeg.Pipeline.Contracts;
using MRISpineSeg.Pipeline.Handlers;
using MRISpineSeg.Pipeline.Hosting;
using MRISpineSeg.Pipeline.Storage;
using MRISpineSeg.Pipeline.Jobs;
using MRISpineSeg.Pipeline.Outcomes;
using MRISpineSeg.Pipeline.Ports;

namespace MRISpineSeg.EndToEnd.Tests.Pipeline;

/// <summary>
/// The segmenter port resolved from the settings a deployed worker gets (the worker images' ENV and
/// infra/app/container-apps.bicep: <c>ModelSource</c>, <c>ModelDirectory</c>, <c>ModelBlobName</c>, <c>ModelDevice</c>),
/// with the model baked into a folder or downloaded from the <c>models</c> container on Azurite.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ModelLocationOnAzuriteTests(Azurite azurite, RandomModelFixture model) : IClassFixture<RandomModelFixture>, IDisposable
{
    private readonly DirectoryInfo _downloads = Directory.CreateTempSubdirectory("model-download-");

    public void Dispose() => _downloads.Delete(recursive: true);

    [Fact]
    public async Task BakedModelShouldLoadFromTheImageFolderAsTheWorkerIsConfigured()
    {
        await using var provider = Worker(("ModelSource", "baked"), ("ModelDirectory", Path.GetDirectoryName(model.ModelPath)), ("ModelDevice", "Cpu"));

        Assert.Equal(model.ModelId, provider.GetRequiredService<IScanSegmenter>().ModelId);
    }

    [Fact]
    public async Task BlobModelShouldBeDownloadedWholeByTheStorageCredentialAndLoaded()
    {
        var name = $"vnet-{Guid.NewGuid():N}.onnx";
        await using var provider = Worker(("ModelSource", "blob"), ("ModelDirectory", _downloads.FullName), ("ModelBlobName", name), ("ModelDevice", "Cpu"));
        var models = provider.GetRequiredService<PipelineStorage>().Container(ContainerNames.Models);
        await models.CreateIfNotExistsAsync();
        await models.GetBlobClient(name).UploadAsync(new BinaryData(await File.ReadAllBytesAsync(model.ModelPath)));

        Assert.Equal(model.ModelId, provider.GetRequiredService<IScanSegmenter>().ModelId);
        Assert.Equal(await File.ReadAllBytesAsync(model.ModelPath), await File.ReadAllBytesAsync(Path.Combine(_downloads.FullName, name)));
        Assert.Equal([name], _downloads.GetFiles().Select(f => f.Name)); // no temporary file left behind
    }

    [Fact]
    public async Task MissingModelBlobShouldStopTheWorkerAsConfigurationNamingTheBlob()
    {
        var name = $"missing-{Guid.NewGuid():N}.onnx";
        await using var provider = Worker(("ModelSource", "blob"), ("ModelDirectory", _downloads.FullName), ("ModelBlobName", name));
        await provider.GetRequiredService<PipelineStorage>().Container(ContainerNames.Models).CreateIfNotExistsAsync();

        var ex = Assert.Throws<PipelineException>(() => provider.GetRequiredService<IScanSegmenter>());

        Assert.Equal(PipelineErrorReason.Configuration, ex.Reason);
        Assert.Contains($"models/{name} does not exist", ex.Message, StringComparison.Ordinal);
        Assert.Empty(_downloads.GetFiles());
    }

    private ServiceProvider Worker(params (string Key, string? Value)[] settings)
    {
        var all = new Dictionary<string, string?> { ["Storage:ConnectionString"] = azurite.ConnectionString, ["ModelThreads"] = "1" };
        foreach (var (key, value) in settings) all[key] = value;
        var config = new ConfigurationBuilder().AddInMemoryCollection(all).Build();
        var services = new ServiceCollection().AddLogging();
        services.AddWorker(config);
        return services.BuildServiceProvider();
    }
}
