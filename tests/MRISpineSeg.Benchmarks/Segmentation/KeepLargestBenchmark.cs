using BenchmarkDotNet.Attributes;
using MRISpineSeg.Imaging.Volumes;
using MRISpineSeg.Segmentation.Postprocessing;

namespace MRISpineSeg.Benchmarks.Segmentation;

/// <summary>
/// The largest-component clean-up on one 512×512×12 mask (3.1 M voxels): 19 structures stacked along y, each with
/// stray blobs and scattered voxels as an untrained or off-domain model leaves them. Baseline in the same run: the
/// postprocessing every scan already pays, projecting the demo model's 128×128×12 labels onto the 512×512×12 scan.
/// All copy the mask first (the filter works in place). The level ordering runs on the same mask.
/// <c>dotnet run -c Release --project tests/MRISpineSeg.Benchmarks -- --filter '*KeepLargest*' --job short</c>
/// </summary>
[MemoryDiagnoser]
public class KeepLargestBenchmark
{
    private static readonly Shape3 Scan = new(512, 512, 12);
    private static readonly Shape3 Grid = new(128, 128, 12);
    private readonly byte[] mask = new byte[Scan.Count];
    private readonly byte[] work = new byte[Scan.Count];
    private readonly byte[] gridLabels = new byte[Grid.Count];

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(3);
        for (var z = 1; z < 11; z++)
        {
            for (var y = 20; y < 495; y++)
            {
                for (var x = 180; x < 320; x++) mask[x + (512 * (y + (512 * z)))] = (byte)(1 + ((y - 20) / 25));
            }
        }

        for (var blob = 0; blob < 400; blob++) // stray blobs of 2x2x1 .. 6x6x2
        {
            var label = (byte)rng.Next(1, 20);
            int bx = rng.Next(0, 500), by = rng.Next(0, 500), bz = rng.Next(0, 11), s = rng.Next(2, 7);
            for (var z = bz; z < Math.Min(12, bz + (s / 3) + 1); z++)
            {
                for (var y = by; y < by + s; y++)
                {
                    for (var x = bx; x < bx + s; x++) mask[x + (512 * (y + (512 * z)))] = label;
                }
            }
        }

        for (var i = 0; i < 20_000; i++) mask[rng.Next(mask.Length)] = (byte)rng.Next(1, 20);
        for (var i = 0; i < gridLabels.Length; i++) gridLabels[i] = mask[i * 16 % mask.Length];
    }

    [Benchmark(Baseline = true)]
    public int ProjectDemoGridToScan() => LabelProjector.ToScanGrid(gridLabels, Grid, Scan)[12345];

    [Benchmark]
    public long KeepLargest()
    {
        mask.CopyTo(work, 0);
        return LargestComponentFilter.Apply(work, Scan);
    }

    /// <summary>Level ordering on the same mask, its 19 stacked structures taken as levels along y (the worst case: every erosion is tried).</summary>
    [Benchmark]
    public long OrderLevels()
    {
        mask.CopyTo(work, 0);
        return LevelOrdering.Apply(work, Scan, 1, true, 1, 19).ChangedVoxels;
    }
}
