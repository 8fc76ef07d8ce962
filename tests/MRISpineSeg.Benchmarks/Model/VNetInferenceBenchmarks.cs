using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using MRISpineSeg.Imaging.Volumes;
using MRISpineSeg.Segmentation.Model.Inference;
using MRISpineSeg.Segmentation.Model.VNet;
using MRISpineSeg.Segmentation.Model.Weights;

namespace MRISpineSeg.Benchmarks.Model;

/// <summary>
/// Warm VNet inference (width 16, seeded random weights) on ONNX Runtime, 2 intra-op threads, model load excluded.
/// A short job: at 512×512×12 one run takes tens of seconds on 2 cores, so the default grid is 128×128×12
/// (1/16 of the voxels; time scales linearly with voxels). Full-size numbers: <c>spineseg model bench</c>,
/// see docs/benchmarks/model.md.
/// Run: <c>dotnet run -c Release --project tests/MRISpineSeg.Benchmarks -- --filter '*VNetInference*'</c>.
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 3)]
[MemoryDiagnoser]
public class VNetInferenceBenchmarks
{
    private string _dir = string.Empty;
    private OnnxSegmentationNetwork? _network;
    private float[] _input = [];

    [Params(128)]
    public int GridXY { get; set; }

    [Params(false, true)]
    public bool CpuMemArena { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _dir = Path.Combine(Path.GetTempPath(), "spineseg-bench-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(_dir);
        var path = Path.Combine(_dir, "w16.onnx");
        var grid = new Shape3(GridXY, GridXY, 12);
        VNetModelBuilder.Write(RandomWeights.Create(VNetArchitecture.Spine(16), 1), path, new VNetBuildOptions { Grid = grid });
        _network = OnnxSegmentationNetwork.Load(path, new OnnxNetworkOptions { IntraOpThreads = 2, EnableCpuMemArena = CpuMemArena, EnableMemoryPattern = CpuMemArena });
        _input = new float[grid.Count];
        var rng = new Random(1);
        for (var i = 0; i < _input.Length; i++) _input[i] = (float)rng.NextDouble();
    }

    [Benchmark]
    public byte[] PredictLabels() => _network!.PredictLabels(_input);

    [GlobalCleanup]
    public void Cleanup()
    {
        _network?.Dispose();
        Directory.Delete(_dir, true);
    }
}
