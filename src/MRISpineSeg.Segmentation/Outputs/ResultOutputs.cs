using MRISpineSeg.Imaging;
using MRISpineSeg.Segmentation.Preview;
using MRISpineSeg.Segmentation.Stats;

namespace MRISpineSeg.Segmentation.Outputs;

/// <summary>A result as the bytes a worker uploads: the mask file, the preview PNG, and the stats JSON written last, so its <c>write</c> time covers the encoding.</summary>
/// <param name="Mask">The mask file's bytes.</param>
/// <param name="Preview">The preview PNG.</param>
/// <param name="StatsJson">The stats JSON, serialised after the mask and the preview.</param>
/// <param name="Stats">The result's stats with the <c>write</c> stage added.</param>
public sealed record EncodedResult(byte[] Mask, byte[] Preview, byte[] StatsJson, SegmentationStats Stats);

/// <summary>Encodes a <see cref="SegmentationResult"/>: the mask in a volume format, the preview, the stats.</summary>
public static class ResultOutputs
{
    /// <summary>The mask encoded as <paramref name="fileName"/>'s format (<c>.nii</c>, <c>.nii.gz</c> or <c>.mha</c>).</summary>
    public static byte[] EncodeMask(SegmentationResult result, string fileName)
    {
        ArgumentNullException.ThrowIfNull(result);
        using var ms = new MemoryStream();
        VolumeIO.Write(result.Mask, ms, fileName);
        return ms.ToArray();
    }

    /// <summary>The preview PNG (see <see cref="PreviewRenderer"/>); its legend lists every structure in the mask.</summary>
    public static byte[] RenderPreview(SegmentationResult result, PreviewOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        var legend = new List<(int, string)>(result.Stats.Structures.Count);
        foreach (var s in result.Stats.Structures) legend.Add((s.Label, s.Name));
        return PreviewRenderer.RenderPng(result.Slice, legend, options ?? result.PreviewOptions);
    }

    /// <summary>Mask, preview and stats as bytes; the stats are serialised last and include the time the first two took.</summary>
    public static EncodedResult Encode(SegmentationResult result, string maskFileName)
    {
        ArgumentNullException.ThrowIfNull(result);
        var started = StageTimings.Start();
        var mask = EncodeMask(result, maskFileName);
        var preview = RenderPreview(result);
        var stats = result.Stats.WithStage(StageTimings.Write, StageTimings.Elapsed(started));
        return new EncodedResult(mask, preview, stats.ToJson(), stats);
    }
}
