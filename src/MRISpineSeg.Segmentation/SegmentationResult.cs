using MRISpineSeg.Imaging;
using MRISpineSeg.Imaging.IO;
using MRISpineSeg.Imaging.Volumes;
using MRISpineSeg.Segmentation.Preview;
using MRISpineSeg.Segmentation.Model;
using MRISpineSeg.Segmentation.Stats;

namespace MRISpineSeg.Segmentation;

/// <summary>
/// One segmented scan: the mask (uint8, the scan's exact grid and header, docs/design.md §3), its stats and what the preview
/// needs. The write helpers time themselves under the <c>write</c> stage, so stats serialised after them include it.
/// </summary>
public sealed class SegmentationResult
{
    private readonly SagittalSlice _slice;
    private readonly PreviewOptions _previewOptions;

    internal SegmentationResult(Volume mask, SegmentationStats stats, SagittalSlice slice, PreviewOptions previewOptions)
    {
        Mask = mask;
        Stats = stats;
        _slice = slice;
        _previewOptions = previewOptions;
    }

    /// <summary>The mask: label values per <see cref="SpineClasses"/> (or the model's classes), x fastest.</summary>
    public Volume Mask { get; }

    public SegmentationStats Stats { get; }

    public StageTimings Timings => Stats.Timings;

    /// <summary>The mask encoded as <paramref name="fileName"/>'s format (<c>.nii</c>, <c>.nii.gz</c> or <c>.mha</c>).</summary>
    public byte[] EncodeMask(string fileName)
    {
        var t = StageTimings.Start();
        using var ms = new MemoryStream();
        VolumeIO.Write(Mask, ms, fileName);
        Timings.Stop(StageTimings.Write, t);
        return ms.ToArray();
    }

    /// <summary>Writes the mask file atomically (any supported extension, <c>.mhd</c> included).</summary>
    public Task SaveMaskAsync(string path, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var t = StageTimings.Start();
        VolumeIO.Write(Mask, path);
        Timings.Stop(StageTimings.Write, t);
        return Task.CompletedTask;
    }

    /// <summary>The preview PNG (see <see cref="PreviewRenderer"/>); its legend lists every structure in the mask.</summary>
    public byte[] RenderPreviewPng(PreviewOptions? options = null)
    {
        var t = StageTimings.Start();
        var legend = new List<(int, string)>(Stats.Structures.Count);
        foreach (var s in Stats.Structures) legend.Add((s.Label, s.Name));
        var png = PreviewRenderer.RenderPng(_slice, legend, options ?? _previewOptions);
        Timings.Stop(StageTimings.Write, t);
        return png;
    }

    /// <summary>Writes the preview PNG to <paramref name="path"/> atomically.</summary>
    public Task SavePreviewAsync(string path, PreviewOptions? options = null, CancellationToken cancellationToken = default)
        => SaveAtomicallyAsync(path, RenderPreviewPng(options), cancellationToken);

    /// <summary>Writes the stats JSON to <paramref name="path"/> atomically.</summary>
    public Task SaveStatsAsync(string path, CancellationToken cancellationToken = default)
        => SaveAtomicallyAsync(path, Stats.ToJson(), cancellationToken);

    private async Task SaveAtomicallyAsync(string path, byte[] bytes, CancellationToken cancellationToken)
    {
        var t = StageTimings.Start();
        await AtomicFile.WriteAllBytesAsync(path, bytes, cancellationToken).ConfigureAwait(false);
        Timings.Stop(StageTimings.Write, t);
    }
}
