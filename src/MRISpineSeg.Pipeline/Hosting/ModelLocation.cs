using Microsoft.Extensions.Logging;
using MRISpineSeg.Imaging.IO;
using MRISpineSeg.Pipeline.Contracts;
using MRISpineSeg.Pipeline.Storage;

namespace MRISpineSeg.Pipeline.Hosting;

/// <summary>
/// Where the segmenter's ONNX model file is, from settings. Either <c>ModelPath</c> names the file (local runs,
/// tests), or <c>ModelSource</c> says how a deployed worker gets it:
/// <list type="bullet">
/// <item><c>baked</c>: the one <c>*.onnx</c> file in <c>ModelDirectory</c> (the image copies <c>local/models/*.onnx</c> to <c>/app/models</c>);</item>
/// <item><c>blob</c>: <c>models/&lt;ModelBlobName&gt;</c> in the pipeline's storage account, downloaded into
/// <c>ModelDirectory</c> at start with the same credential as every other storage call (the worker's identity).</item>
/// </list>
/// The worker images and <c>infra/app/container-apps.bicep</c> set <c>ModelSource</c>, <c>ModelDirectory</c> and
/// <c>ModelBlobName</c>. Every mistake is a <see cref="PipelineErrorReason.Configuration"/> error naming the setting.
/// </summary>
public static class ModelLocation
{
    public const string PathSetting = nameof(PipelineSettings.ModelPath);
    public const string SourceSetting = nameof(PipelineSettings.ModelSource);
    public const string DirectorySetting = nameof(PipelineSettings.ModelDirectory);
    public const string BlobNameSetting = nameof(PipelineSettings.ModelBlobName);

    /// <summary>The model file to load; for <c>blob</c> it is downloaded first (whole, or not at all).</summary>
    public static string Resolve(PipelineSettings settings, Func<PipelineStorage> storage, ILogger? logger = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(storage);
        var path = settings.ModelPath;
        var source = settings.ModelSource;
        if (!string.IsNullOrWhiteSpace(path))
        {
            if (!string.IsNullOrWhiteSpace(source))
                throw Bad($"settings {PathSetting} and {SourceSetting} are both set (\"{path}\", \"{source}\"); set {PathSetting} for a file, or {SourceSetting} for a deployed worker, not both");
            return File.Exists(path) ? path : throw Bad($"setting {PathSetting}: \"{path}\" does not exist or is not a file");
        }

        if (string.IsNullOrWhiteSpace(source))
            throw Bad($"setting {PathSetting} is missing; give the path of the ONNX model to load (or {SourceSetting}=baked|blob with {DirectorySetting})");
        var directory = settings.ModelDirectory;
        if (string.IsNullOrWhiteSpace(directory))
            throw Bad($"setting {DirectorySetting} is missing; {SourceSetting}={source} needs the folder the model is in or is downloaded to (the images use /app/models)");

        return source.Trim().ToLowerInvariant() switch
        {
            "baked" => TheOnlyModelIn(directory),
            "blob" => Download(settings.ModelBlobName, directory, storage, logger, cancellationToken),
            _ => throw Bad($"setting {SourceSetting}: \"{source}\" is not a model source; give baked or blob"),
        };
    }

    private static string TheOnlyModelIn(string directory)
    {
        if (!Directory.Exists(directory))
            throw Bad($"setting {DirectorySetting}: \"{directory}\" does not exist; {SourceSetting}=baked expects the image's model folder");
        var models = Directory.GetFiles(directory, "*.onnx");
        Array.Sort(models, StringComparer.Ordinal);
        return models.Length switch
        {
            1 => models[0],
            0 => throw Bad($"setting {DirectorySetting}: \"{directory}\" has no .onnx file; build the image with MODEL_SOURCE=baked and a model in local/models/, or use {SourceSetting}=blob"),
            _ => throw Bad($"setting {DirectorySetting}: \"{directory}\" has {models.Length} .onnx files ({string.Join(", ", models.Select(Path.GetFileName))}); keep one, or name it with {PathSetting}"),
        };
    }

    private static string Download(string? blobName, string directory, Func<PipelineStorage> storage, ILogger? logger, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(blobName) || blobName.Contains('/', StringComparison.Ordinal) || blobName.Contains('\\', StringComparison.Ordinal) || blobName is "." or "..")
            throw Bad($"setting {BlobNameSetting}: \"{blobName}\" is not a blob name in the {ContainerNames.Models} container; give a plain file name such as vnet-mrispineseg.onnx");
        var blob = storage().Container(ContainerNames.Models).GetBlobClient(blobName);
        var target = Path.Combine(directory, blobName);
        var started = TimeProvider.System.GetTimestamp();
        try
        {
            AtomicFile.Write(target, s => blob.DownloadTo(s, cancellationToken));
        }
        catch (Azure.RequestFailedException ex) when (ex.Status == 404)
        {
            throw Bad($"setting {BlobNameSetting}: {ContainerNames.Models}/{blobName} does not exist in the storage account; upload the model there (docs/deploy.md) or use {SourceSetting}=baked", ex);
        }
        catch (Exception ex) when (StorageErrors.IsStorageFailure(ex))
        {
            throw StorageErrors.Wrap(ex, $"download the model {ContainerNames.Models}/{blobName}");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw Bad($"setting {DirectorySetting}: cannot write the model to \"{target}\": {ex.Message}", ex);
        }

        logger?.LogInformation("Model {Container}/{Blob} downloaded to {Path} ({Bytes:N0} bytes, {Seconds:F1} s)",
            ContainerNames.Models, blobName, target, new FileInfo(target).Length, TimeProvider.System.GetElapsedTime(started).TotalSeconds);
        return target;
    }

    private static PipelineException Bad(string message, Exception? inner = null) => new(PipelineErrorReason.Configuration, message, inner);
}
