using System.Numerics;
using System.Runtime.InteropServices;
using MRISpineSeg.Imaging.Volumes;
using MRISpineSeg.Segmentation.Model;

namespace MRISpineSeg.Segmentation.Preprocessing;

/// <summary>
/// PaddleSeg's preparation of an MR spine scan (contrib/MedicalSeg, <c>prepare_mri_spine_seg.py</c>: normalize, then
/// resample; docs/design.md §4), driven by the model's manifest:
/// <list type="number">
/// <item>real voxel values as float32 with the slope applied (nibabel <c>get_fdata(dtype=float32)</c>);</item>
/// <item><c>x = clip(x / ClipMax, 0, 1)</c> in float32;</item>
/// <item>trilinear zoom to <see cref="ModelManifest.InputGrid"/> as <c>scipy.ndimage.zoom(order=1, mode='nearest')</c>;</item>
/// <item>division by the resized volume's maximum when it is &gt; 0;</item>
/// <item>layout [1, 1, X, Y, Z] row-major (z fastest).</item>
/// </list>
/// </summary>
public static class PaddlePreprocessor
{
    /// <summary>
    /// Runs the steps above on <paramref name="voxels"/> (real values, x fastest, <paramref name="shape"/>).
    /// When <paramref name="inPlace"/> is true the clip overwrites <paramref name="voxels"/> (no copy of the scan);
    /// otherwise the caller's buffer is left untouched.
    /// </summary>
    /// <exception cref="ArgumentException">The buffer does not match the shape.</exception>
    /// <exception cref="SegmentationException">The scan holds NaN (<see cref="SegmentationErrorReason.InvalidScan"/>; <paramref name="scanName"/> names it).</exception>
    public static PreprocessedInput Run(float[] voxels, Shape3 shape, ModelManifest manifest, bool inPlace = false, string? scanName = null)
    {
        ArgumentNullException.ThrowIfNull(voxels);
        ArgumentNullException.ThrowIfNull(manifest);
        if (voxels.Length != shape.Count)
            throw new ArgumentException($"Buffer holds {voxels.Length} voxels but shape {shape} needs {shape.Count}.", nameof(voxels));
        if (!(manifest.ClipMax > 0) || !double.IsFinite(manifest.ClipMax))
            throw new ArgumentException($"Manifest ClipMax {manifest.ClipMax} must be a positive finite number.", nameof(manifest));

        var clipped = inPlace ? voxels : GC.AllocateUninitializedArray<float>(voxels.Length);
        var scanMax = ClipInto(voxels, clipped, (float)manifest.ClipMax, out var nanCount);
        if (nanCount > 0)
            throw new SegmentationException(SegmentationErrorReason.InvalidScan, $"{scanName ?? "scan"}: {nanCount} voxel(s) are NaN; a scan must hold numeric intensities (re-export it, or replace NaN with 0)");

        var grid = manifest.InputGrid;
        var tensor = GC.AllocateUninitializedArray<float>(checked((int)grid.Count));
        TransposingZoom.LinearToRowMajor(clipped, shape, tensor, grid);
        var max = Max(tensor);
        if (max > 0) Divide(tensor, max);
        return new PreprocessedInput(tensor, grid, scanMax, max);
    }

    /// <summary>dst = clip(src / clipMax, 0, 1) in float32, as numpy does; returns the largest clipped value.</summary>
    private static float ClipInto(float[] src, float[] dst, float clipMax, out long nanCount)
    {
        long nans = 0;
        var max = 0f;
        for (var i = 0; i < src.Length; i++)
        {
            var v = src[i] / clipMax;
            if (float.IsNaN(v)) nans++;
            else if (v < 0f) v = 0f;
            else if (v > 1f) v = 1f;
            dst[i] = v;
            if (v > max) max = v;
        }

        nanCount = nans;
        return max;
    }

    private static float Max(float[] data)
    {
        var span = data.AsSpan();
        var i = 0;
        var best = 0f;
        if (Vector.IsHardwareAccelerated && span.Length >= Vector<float>.Count)
        {
            var acc = Vector<float>.Zero;
            var vectors = MemoryMarshal.Cast<float, Vector<float>>(span);
            foreach (var v in vectors) acc = Vector.Max(acc, v);
            for (var k = 0; k < Vector<float>.Count; k++) best = Math.Max(best, acc[k]);
            i = vectors.Length * Vector<float>.Count;
        }

        for (; i < span.Length; i++) best = Math.Max(best, span[i]);
        return best;
    }

    private static void Divide(float[] data, float divisor)
    {
        // Division (not multiplication by the reciprocal) so the float32 result matches numpy's img / img.max().
        var span = data.AsSpan();
        var i = 0;
        if (Vector.IsHardwareAccelerated && span.Length >= Vector<float>.Count)
        {
            var d = new Vector<float>(divisor);
            var vectors = MemoryMarshal.Cast<float, Vector<float>>(span);
            for (var k = 0; k < vectors.Length; k++) vectors[k] /= d;
            i = vectors.Length * Vector<float>.Count;
        }

        for (; i < span.Length; i++) span[i] /= divisor;
    }
}
