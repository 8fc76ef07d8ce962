using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
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
        if (scaling.IsIdentity && typeof(TSrc) == typeof(float) && typeof(TDst) == typeof(byte))
        {
            // The common label-mask case (float32 masks read as bytes), 32 values at a time.
            var floats = MemoryMarshal.Cast<TSrc, float>(src);
            var bad = NarrowFloat32ToBytes(floats, MemoryMarshal.Cast<TDst, byte>(dst));
            if (bad >= 0) ThrowNotRepresentable<TDst>(offset + bad, floats[bad], fileName);
            return;
        }

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

    /// <summary>
    /// Writes <c>dest[i] = (byte)src[i]</c> while every value is an exact integer in 0..255 (NaN is not); returns the
    /// index of the first value that is not, or -1 when all are.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // runs once per mask in short-lived processes: skip tier-0
    public static int NarrowFloat32ToBytes(ReadOnlySpan<float> src, Span<byte> dest)
    {
        if (dest.Length < src.Length) throw new ArgumentException("destination is shorter than the source", nameof(dest));
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref var s0 = ref MemoryMarshal.GetReference(src);
            ref var d0 = ref MemoryMarshal.GetReference(dest);
            var max = Vector256.Create(255f);
            var last = src.Length - 32;
            for (; i <= last; i += 32)
            {
                var a = Vector256.LoadUnsafe(ref s0, (nuint)i);
                var b = Vector256.LoadUnsafe(ref s0, (nuint)(i + 8));
                var c = Vector256.LoadUnsafe(ref s0, (nuint)(i + 16));
                var d = Vector256.LoadUnsafe(ref s0, (nuint)(i + 24));
                if (!(ExactByte(a, max) & ExactByte(b, max) & ExactByte(c, max) & ExactByte(d, max)).Equals(Vector256<uint>.AllBitsSet)) break;
                var ab = Vector256.Narrow(Vector256.ConvertToUInt32(a), Vector256.ConvertToUInt32(b));
                var cd = Vector256.Narrow(Vector256.ConvertToUInt32(c), Vector256.ConvertToUInt32(d));
                Vector256.Narrow(ab, cd).StoreUnsafe(ref d0, (nuint)i);
            }
        }

        for (; i < src.Length; i++)
        {
            var v = src[i];
            if (!(v >= 0 && v <= 255 && v == MathF.Floor(v))) return i;
            dest[i] = (byte)v;
        }

        return -1;
    }

    /// <summary>All-ones lanes where the value is an integer in 0..255 (NaN compares false everywhere).</summary>
    private static Vector256<uint> ExactByte(Vector256<float> v, Vector256<float> max)
        => (Vector256.GreaterThanOrEqual(v, Vector256<float>.Zero) & Vector256.LessThanOrEqual(v, max) & Vector256.Equals(v, Vector256.Floor(v))).AsUInt32();

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
