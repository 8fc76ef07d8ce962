using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace MRISpineSeg.Scoring.Inputs;

/// <summary>float32 label values to bytes, refusing anything that is not an exact integer in 0..255 (NaN included).</summary>
internal static class FloatLabels
{
    /// <summary>Writes <c>dest[i] = (byte)src[i]</c>; returns the index of the first bad value, or -1 when all are exact.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // runs once per mask in a short-lived process: skip tier-0
    public static int Narrow(ReadOnlySpan<float> src, Span<byte> dest)
    {
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
                if (!(Exact(a, max) & Exact(b, max) & Exact(c, max) & Exact(d, max)).Equals(Vector256<uint>.AllBitsSet)) break;
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
    private static Vector256<uint> Exact(Vector256<float> v, Vector256<float> max)
        => (Vector256.GreaterThanOrEqual(v, Vector256<float>.Zero) & Vector256.LessThanOrEqual(v, max) & Vector256.Equals(v, Vector256.Floor(v))).AsUInt32();
}
