using MRISpineSeg.Imaging.IO;
using BenchmarkDotNet.Attributes;
using MRISpineSeg.Scoring.Inputs;
using MRISpineSeg.Scoring.Metrics;

namespace MRISpineSeg.Benchmarks.Scoring;

/// <summary>
/// The per-voxel kernels of scoring on one 512×512×12 case (3.1 M voxels, ~15 % foreground like a spine MR):
/// the confusion count, the label range scan, and the float32 → label narrowing of a float mask.
/// <c>dotnet run -c Release --project tests/MRISpineSeg.Benchmarks -- --filter '*ScoringKernels*' --job short</c>
/// </summary>
[MemoryDiagnoser]
public class ScoringKernelsBenchmark
{
    private const int Voxels = 512 * 512 * 12;
    private readonly byte[] truth = new byte[Voxels];
    private readonly byte[] pred = new byte[Voxels];
    private readonly float[] floats = new float[Voxels];
    private readonly byte[] dest = new byte[Voxels];

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(1);
        for (var z = 2; z < 10; z++)
        {
            for (var y = 40; y < 470; y++)
            {
                for (var x = 200; x < 300; x++)
                {
                    var i = x + (512 * (y + (512 * z)));
                    truth[i] = (byte)(1 + ((y - 40) / 23));
                    pred[i] = rng.NextDouble() < 0.05 ? (byte)0 : truth[i];
                }
            }
        }

        for (var i = 0; i < Voxels; i++) floats[i] = pred[i];
    }

    [Benchmark]
    public long Confusion() => ConfusionMatrix.Count(truth, pred)[1, 1];

    [Benchmark]
    public byte LabelMax() => LabelScan.Max(pred);

    [Benchmark]
    public int NarrowFloat32() => VoxelConvert.NarrowFloat32ToBytes(floats, dest);
}
