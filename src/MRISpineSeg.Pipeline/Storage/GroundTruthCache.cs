using Azure;
using Azure.Storage.Blobs.Models;
using MRISpineSeg.Imaging;
using MRISpineSeg.Pipeline.Contracts;
using MRISpineSeg.Pipeline.Queues;

namespace MRISpineSeg.Pipeline.Storage;

/// <summary>
/// A private local copy of the <c>ground-truth</c> container for the scorer, refreshed by ETag so each truth file is
/// downloaded once. Only volume files are copied, flattened to their file names (a blob name never escapes the
/// directory). The directory is never uploaded or served anywhere: truth stays private.
/// </summary>
public sealed class GroundTruthCache(PipelineStorage storage, string directory)
{
    private const string ETagSuffix = ".etag";
    private readonly SemaphoreSlim _gate = new(1, 1);

    public string Directory { get; } = Path.GetFullPath(directory);

    /// <summary>Brings the directory in line with the container; returns the number of truth volumes.</summary>
    public async Task<int> SyncAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            System.IO.Directory.CreateDirectory(Directory);
            var container = storage.Container(ContainerNames.GroundTruth);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            await foreach (var item in container.GetBlobsAsync(new GetBlobsOptions(), cancellationToken).ConfigureAwait(false))
            {
                var file = Path.GetFileName(item.Name);
                if (!VolumeIO.IsVolumeFileName(file) || !seen.Add(file)) continue;
                var path = Path.Combine(Directory, file);
                var etagPath = path + ETagSuffix;
                var etag = item.Properties.ETag?.ToString() ?? string.Empty;
                if (File.Exists(path) && File.Exists(etagPath) && await File.ReadAllTextAsync(etagPath, cancellationToken).ConfigureAwait(false) == etag) continue;
                var tmp = path + ".part";
                await container.GetBlobClient(item.Name).DownloadToAsync(tmp, cancellationToken).ConfigureAwait(false);
                File.Move(tmp, path, overwrite: true);
                await File.WriteAllTextAsync(etagPath, etag, cancellationToken).ConfigureAwait(false);
            }

            foreach (var path in System.IO.Directory.EnumerateFiles(Directory))
            {
                var name = Path.GetFileName(path);
                var volume = name.EndsWith(ETagSuffix, StringComparison.Ordinal) ? name[..^ETagSuffix.Length] : name;
                if (!seen.Contains(volume)) File.Delete(path);
            }

            return seen.Count;
        }
        catch (Exception ex) when (StorageErrors.IsStorageFailure(ex))
        {
            throw StorageErrors.Wrap(ex, "read the ground-truth container");
        }
        finally
        {
            _gate.Release();
        }
    }
}
