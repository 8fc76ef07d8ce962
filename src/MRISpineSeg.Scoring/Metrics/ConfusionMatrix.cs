using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace MRISpineSeg.Scoring.Metrics;

/// <summary>
/// The 20×20 voxel confusion matrix of one case: row = truth label, column = predicted label, counted on the truth
/// grid. Both masks must already hold only values 0..19 (see <see cref="LabelScan"/>).
/// </summary>
public sealed class ConfusionMatrix
{
    private const int K = SpineLabels.Count;
    private readonly long[] counts;

    private ConfusionMatrix(long[] counts) => this.counts = counts;

    /// <summary>Voxels with truth label <paramref name="truth"/> predicted as <paramref name="predicted"/>.</summary>
    public long this[int truth, int predicted] => counts[(truth * K) + predicted];

    /// <summary>
    /// Counts in one pass. Runs of 32 voxels that are background in both masks (most of a spine MR) are counted with
    /// one vector compare; the rest go through a scalar histogram.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // runs once per mask in a short-lived process: skip tier-0
    public static ConfusionMatrix Count(ReadOnlySpan<byte> truth, ReadOnlySpan<byte> predicted)
    {
        if (truth.Length != predicted.Length) throw new ArgumentException("truth and prediction differ in length", nameof(predicted));
        Span<int> hist = stackalloc int[K * K];
        hist.Clear();
        long background = 0;
        var i = 0;
        ref var t0 = ref MemoryMarshal.GetReference(truth);
        ref var p0 = ref MemoryMarshal.GetReference(predicted);
        if (Vector256.IsHardwareAccelerated)
        {
            var last = truth.Length - Vector256<byte>.Count;
            for (; i <= last; i += Vector256<byte>.Count)
            {
                var t = Vector256.LoadUnsafe(ref t0, (nuint)i);
                var p = Vector256.LoadUnsafe(ref p0, (nuint)i);
                if ((t | p) == Vector256<byte>.Zero)
                {
                    background += Vector256<byte>.Count;
                    continue;
                }

                for (var j = i; j < i + Vector256<byte>.Count; j++) hist[(Unsafe.Add(ref t0, j) * K) + Unsafe.Add(ref p0, j)]++;
            }
        }

        for (; i < truth.Length; i++) hist[(Unsafe.Add(ref t0, i) * K) + Unsafe.Add(ref p0, i)]++;
        var result = new long[K * K];
        for (var k = 0; k < result.Length; k++) result[k] = hist[k];
        result[0] += background;
        return new ConfusionMatrix(result);
    }

    /// <summary>
    /// <c>Dice_c = 2·TP / (2·TP + FP + FN)</c>. Null when the class is absent from both masks (0/0); the convention
    /// decides whether that is skipped or counted as 0.
    /// </summary>
    public double? Dice(int label)
    {
        long tp = this[label, label], truthTotal = 0, predTotal = 0;
        for (var k = 0; k < K; k++)
        {
            truthTotal += this[label, k];
            predTotal += this[k, label];
        }

        var denominator = truthTotal + predTotal; // = 2TP + FN + FP
        return denominator == 0 ? null : 2.0 * tp / denominator;
    }

    /// <summary>Dice for every label 0..19.</summary>
    public double?[] DiceAll()
    {
        var d = new double?[K];
        for (var c = 0; c < K; c++) d[c] = Dice(c);
        return d;
    }
}
