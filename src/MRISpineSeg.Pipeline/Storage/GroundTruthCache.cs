using System.Security.Cryptography;
using Azure.Storage.Blobs.Models;
using MRISpineSeg.Imaging;

namespace MRISpineSeg.Pipeline.Storage;

/// <summary>
/// A private local copy of the <c>ground-truth</c> container for the scorer, refreshed by ETag so each truth file is
/// downloaded once. Only volume files are copied, flattened to their file names (a blob name never escapes the
/// directory). The directory belongs to this process alone: created fresh with mode 0700 (owner only) and removed on
/// <see cref="Dispose"/>, never shared with another host. What was downloaded is recorded in memory (ETag, length and
/// SHA-256 of the bytes), and every use checks the file against that record, so a cached file changed on disk is
/// downloaded again rather than trusted. The directory is never uploaded or served: truth stays private.
/// </summary>
public sealed class GroundTruthCache : IDisposable
{
    private readonly PipelineStorage _storage;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    /// <summary>A cache in a new private temporary directory.</summary>
    public GroundTruthCache(PipelineStorage storage)
        : this(storage, System.IO.Directory.CreateTempSubdirectory("spineseg-ground-truth-").FullName)
    {
    }

    /// <summary>A cache in <paramref name="directory"/>, which is created (owner-only) if missing and removed on dispose.</summary>
    public GroundTruthCache(PipelineStorage storage, string directory)
    {
        _storage = storage;
        Directory = Path.GetFullPath(directory);
        System.IO.Directory.CreateDirectory(Directory);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(Directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    public string Directory { get; }

    /// <summary>Brings the directory in line with the container; returns the number of truth volumes.</summary>
    public async Task<int> SyncAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            System.IO.Directory.CreateDirectory(Directory);
            var container = _storage.GroundTruthContainer();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            await foreach (var item in container.GetBlobsAsync(new GetBlobsOptions(), cancellationToken).ConfigureAwait(false))
            {
                var file = Path.GetFileName(item.Name);
                if (!VolumeIO.IsVolumeFileName(file) || !seen.Add(file)) continue;
                var path = Path.Combine(Directory, file);
                var etag = item.Properties.ETag?.ToString() ?? string.Empty;
                if (_entries.TryGetValue(file, out var known) && known.ETag == etag && await MatchesAsync(path, known, cancellationToken).ConfigureAwait(false)) continue;
                var tmp = path + ".part";
                await container.GetBlobClient(item.Name).DownloadToAsync(tmp, cancellationToken).ConfigureAwait(false);
                var (length, sha) = await FingerprintAsync(tmp, cancellationToken).ConfigureAwait(false);
                File.Move(tmp, path, overwrite: true);
                _entries[file] = new Entry(etag, length, sha);
            }

            foreach (var path in System.IO.Directory.EnumerateFiles(Directory))
            {
                var name = Path.GetFileName(path);
                if (!seen.Contains(name))
                {
                    File.Delete(path);
                    _entries.Remove(name);
                }
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

    public void Dispose()
    {
        try
        {
            if (System.IO.Directory.Exists(Directory)) System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // another process holds a file open; the next run's fresh directory does not depend on this one
        }

        _gate.Dispose();
    }

    private static async Task<bool> MatchesAsync(string path, Entry known, CancellationToken cancellationToken)
    {
        if (!File.Exists(path) || new FileInfo(path).Length != known.Length) return false;
        var (_, sha) = await FingerprintAsync(path, cancellationToken).ConfigureAwait(false);
        return sha.AsSpan().SequenceEqual(known.Sha256);
    }

    private static async Task<(long Length, byte[] Sha256)> FingerprintAsync(string path, CancellationToken cancellationToken)
    {
        var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous);
        await using (fs.ConfigureAwait(false))
        {
            var sha = await SHA256.HashDataAsync(fs, cancellationToken).ConfigureAwait(false);
            return (fs.Length, sha);
        }
    }

    private sealed record Entry(string ETag, long Length, byte[] Sha256);
}
