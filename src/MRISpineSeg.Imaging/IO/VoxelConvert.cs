using System.Numerics;
using MRISpineSeg.Imaging.Volumes;

namespace MRISpineSeg.Imaging.IO;

/// <summary>
/// Element conversions with scaling, written to reproduce nibabel's arithmetic:
/// <c>get_fdata(dtype=float32)</c> multiplies then adds in float32 for 8/16-bit integers and float32 data with a float32
/// slope, and in float64 (rounded once at the end) for 32-bit integers, float64 data or a NIfTI-2 (float64) slope.
/// </summary>
public static class VoxelConvert
{
    /// <summary>
    /// Whether nibabel scales in float64: for 32-bit integer or float64 data, or when the slope itself is float64
    /// (<paramref name="wideSlope"/>: NIfTI-2 headers); otherwise it multiplies and adds in float32.
    /// </summary>
    public static bool ScalesInDouble(VoxelType stored, bool wideSlope)
        => wideSlope || stored is VoxelType.Int32 or VoxelType.UInt32 or VoxelType.Float64;

    public static void ToFloat32<TSrc>(ReadOnlySpan<TSrc> src, Span<float> dst, Scaling scaling, bool scaleInDouble)
        where TSrc : unmanaged, INumberBase<TSrc>
    {
        if (scaling.IsIdentity)
        {
            for (var i = 0; i < src.Length; i++) dst[i] = float.CreateTruncating(src[i]);
        }
        else if (!scaleInDouble)
        {
            var slope = (float)scaling.Slope;
            var inter = (float)scaling.Intercept;
            for (var i = 0; i < src.Length; i++)
            {
                var v = float.CreateTruncating(src[i]) * slope;
                dst[i] = v + inter;
            }
        }
        else
        {
            var slope = scaling.Slope;
            var inter = scaling.Intercept;
            for (var i = 0; i < src.Length; i++)
            {
                var v = double.CreateTruncating(src[i]) * slope;
                dst[i] = (float)(v + inter);
            }
        }
    }

    public static void ToFloat64<TSrc>(ReadOnlySpan<TSrc> src, Span<double> dst, Scaling scaling)
        where TSrc : unmanaged, INumberBase<TSrc>
    {
        var slope = scaling.Slope;
        var inter = scaling.Intercept;
        for (var i = 0; i < src.Length; i++)
        {
            var v = double.CreateTruncating(src[i]) * slope;
            dst[i] = v + inter;
        }
    }

    /// <summary>
    /// Converts to an integer type, requiring every scaled value to be an exact integer in range: a label mask decoded
    /// to bytes must not silently round 2.5 to 2 or wrap 300 to 44.
    /// </summary>
    public static void ToInteger<TSrc, TDst>(ReadOnlySpan<TSrc> src, Span<TDst> dst, Scaling scaling, int offset, string? fileName)
        where TSrc : unmanaged, INumberBase<TSrc>
        where TDst : unmanaged, INumberBase<TDst>
    {
        var (min, max) = VoxelTypes.Range(VoxelTypes.Of<TDst>());
        var slope = scaling.Slope;
        var inter = scaling.Intercept;
        var identity = scaling.IsIdentity;
        for (var i = 0; i < src.Length; i++)
        {
            var v = double.CreateTruncating(src[i]);
            if (!identity) v = (v * slope) + inter;
            if (!(v >= min && v <= max && v == Math.Floor(v)))
                ThrowNotRepresentable<TDst>(offset + i, v, fileName);
            dst[i] = TDst.CreateTruncating(v);
        }
    }

    private static void ThrowNotRepresentable<TDst>(int index, double value, string? fileName)
        where TDst : unmanaged
    {
        var type = VoxelTypes.Of<TDst>();
        var (min, max) = VoxelTypes.Range(type);
        throw new VolumeFormatException(
            VolumeErrorReason.ValueNotRepresentable,
            fileName,
            "voxel data",
            $"voxel {index} holds {value:G9}, which is not an integer in {min}..{max}; it cannot be read as {VoxelTypes.Name(type)}");
    }
}
