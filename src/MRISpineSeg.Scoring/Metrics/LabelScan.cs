using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace MRISpineSeg.Scoring.Metrics;

/// <summary>Checks that a decoded uint8 mask holds only labels 0..19 (vectorised max, then details on the error path).</summary>
public static class LabelScan
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // runs once per mask in a short-lived process: skip tier-0
    public static byte Max(ReadOnlySpan<byte> labels)
    {
        var i = 0;
        byte max = 0;
        ref var r = ref MemoryMarshal.GetReference(labels);
        if (Vector256.IsHardwareAccelerated && labels.Length >= Vector256<byte>.Count)
        {
            var acc = Vector256<byte>.Zero;
            var last = labels.Length - Vector256<byte>.Count;
            for (; i <= last; i += Vector256<byte>.Count) acc = Vector256.Max(acc, Vector256.LoadUnsafe(ref r, (nuint)i));
            for (var k = 0; k < Vector256<byte>.Count; k++) max = Math.Max(max, acc.GetElement(k));
        }

        for (; i < labels.Length; i++) max = Math.Max(max, labels[i]);
        return max;
    }

    /// <summary>The distinct values above 19, ascending (for the error message).</summary>
    public static List<int> ValuesOutOfRange(ReadOnlySpan<byte> labels)
    {
        Span<bool> seen = stackalloc bool[256];
        foreach (var b in labels) seen[b] = true;
        var result = new List<int>();
        for (var v = SpineLabels.Count; v < 256; v++)
        {
            if (seen[v]) result.Add(v);
        }

        return result;
    }
}
