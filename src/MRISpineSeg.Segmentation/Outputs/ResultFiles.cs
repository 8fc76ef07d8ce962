using MRISpineSeg.Imaging;
using MRISpineSeg.Imaging.IO;
using MRISpineSeg.Segmentation.Stats;

namespace MRISpineSeg.Segmentation.Outputs;

/// <summary>Where a result's files go: the mask always, the preview and the stats when asked for.</summary>
public sealed record ResultPaths(string Mask, string? Preview = null, string? Stats = null);

/// <summary>
/// Writes a <see cref="SegmentationResult"/> as files, each atomically (a temporary file, then a rename) and with
/// asynchronous I/O: the mask (any extension <see cref="VolumeIO"/> writes; <c>.mhd</c> with its <c>.raw</c> beside
/// it), the preview, and last the stats, whose <c>write</c> stage covers the mask and the preview.
/// </summary>
public static class ResultFiles
{
    /// <summary>
    /// Writes the files of <paramref name="paths"/> and returns the stats with the write time. Each file finished is
    /// added to <paramref name="written"/>, so a caller that is cancelled or fails half way knows what to remove.
    /// </summary>
    public static async Task<SegmentationStats> WriteAsync(SegmentationResult result, ResultPaths paths, ICollection<string>? written = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(paths);
        var started = StageTimings.Start();
        if (paths.Mask.EndsWith(".mhd", StringComparison.OrdinalIgnoreCase))
        {
            // Two files (header + .raw), which VolumeIO writes and renames itself; off the caller's thread.
            await Task.Run(() => VolumeIO.Write(result.Mask, paths.Mask), cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await AtomicFile.WriteAllBytesAsync(paths.Mask, ResultOutputs.EncodeMask(result, paths.Mask), cancellationToken).ConfigureAwait(false);
        }

        written?.Add(paths.Mask);
        if (paths.Preview is not null)
        {
            await AtomicFile.WriteAllBytesAsync(paths.Preview, ResultOutputs.RenderPreview(result), cancellationToken).ConfigureAwait(false);
            written?.Add(paths.Preview);
        }

        var stats = result.Stats.WithStage(StageTimings.Write, StageTimings.Elapsed(started));
        if (paths.Stats is not null)
        {
            await AtomicFile.WriteAllBytesAsync(paths.Stats, stats.ToJson(), cancellationToken).ConfigureAwait(false);
            written?.Add(paths.Stats);
        }

        return stats;
    }
}
