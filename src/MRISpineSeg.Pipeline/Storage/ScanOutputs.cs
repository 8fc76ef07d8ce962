using Azure;
using Azure.Storage.Blobs.Models;
using MRISpineSeg.Pipeline.Contracts;

namespace MRISpineSeg.Pipeline.Storage;

/// <summary>
/// The outputs of one scan in <c>masks</c> (mask, preview, stats, error report) belong to one version of the scan,
/// all together: each carries the scan ETag it was made from (<see cref="BlobLayout.SourceETagMetadata"/>), and those of
/// any other version are removed. Deletes are conditional on the output's own ETag, so a newer output written
/// meanwhile is never removed by mistake.
/// </summary>
public sealed class ScanOutputs(PipelineStorage storage)
{
    /// <summary>Every output name of a scan: mask, preview, stats, then the error report.</summary>
    public static IReadOnlyList<string> Names(string scanName)
        => [BlobLayout.MaskName(scanName), BlobLayout.PreviewName(scanName), BlobLayout.StatsName(scanName), BlobLayout.ScanErrorName(scanName)];

    /// <summary>Removes the outputs of <paramref name="scanName"/> made from a version other than <paramref name="currentETag"/>; returns how many.</summary>
    public async Task<int> RemoveStaleAsync(string scanName, string currentETag, CancellationToken cancellationToken = default)
    {
        var keep = currentETag.Trim('"');
        return await RemoveWhereAsync(scanName, source => source != keep, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Removes the outputs that <em>were</em> made from <paramref name="etag"/> (a version superseded while it was being segmented).</summary>
    public async Task<int> RemoveMadeFromAsync(string scanName, string etag, CancellationToken cancellationToken = default)
    {
        var made = etag.Trim('"');
        return await RemoveWhereAsync(scanName, source => source == made, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The scan's current ETag in <c>scans</c>, or null when it no longer exists.</summary>
    public async Task<string?> CurrentETagAsync(string scanName, CancellationToken cancellationToken = default)
        => (await storage.TryGetPropertiesAsync(ContainerNames.Scans, scanName, cancellationToken).ConfigureAwait(false))?.ETag.ToString();

    private async Task<int> RemoveWhereAsync(string scanName, Func<string?, bool> remove, CancellationToken cancellationToken)
    {
        var removed = 0;
        foreach (var name in Names(scanName).Distinct(StringComparer.Ordinal))
        {
            var props = await storage.TryGetPropertiesAsync(ContainerNames.Masks, name, cancellationToken).ConfigureAwait(false);
            if (props is null) continue;
            props.Metadata.TryGetValue(BlobLayout.SourceETagMetadata, out var source);
            if (!remove(source)) continue;
            try
            {
                await storage.Container(ContainerNames.Masks).GetBlobClient(name)
                    .DeleteAsync(DeleteSnapshotsOption.IncludeSnapshots, new BlobRequestConditions { IfMatch = props.ETag }, cancellationToken).ConfigureAwait(false);
                removed++;
            }
            catch (RequestFailedException ex) when (ex.Status is 404 or 409 or 412)
            {
                // Gone already, or rewritten since we looked (by the current version): nothing of the old one to remove.
            }
            catch (Exception ex) when (StorageErrors.IsStorageFailure(ex))
            {
                throw StorageErrors.Wrap(ex, $"remove stale masks/{name}");
            }
        }

        return removed;
    }
}
