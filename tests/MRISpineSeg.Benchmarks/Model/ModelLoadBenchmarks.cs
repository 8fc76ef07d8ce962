using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using MRISpineSeg.Imaging.Volumes;
using MRISpineSeg.Segmentation.Model.Inference;
using MRISpineSeg.Segmentation.Model.VNet;
using MRISpineSeg.Segmentation.Model.Weights;

namespace MRISpineSeg.Benchmarks.Model;

/// <summary>
/// What loading a model for labels only costs: <see cref="OnnxSegmentationNetwork.Load"/> with the logits kept (the
/// file as it is) against the default labels-only cut (parse, cut, write a temporary file, collect, then the same
/// session). The width-16 fp32 VNet at 512×512×12 is the largest file the project makes (183 MB), so the worst case.
/// Run: <c>dotnet run -c Release --project tests/MRISpineSeg.Benchmarks -- --filter '*ModelLoad*'</c>.
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class ModelLoadBenchmarks
{
    private string _dir = string.Empty;
    private string _path = string.Empty;

    [Params(true, false)]
    public bool Logits { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _dir = Path.Combine(Path.GetTempPath(), "spineseg-bench-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(_dir);
        _path = Path.Combine(_dir, "w16.onnx");
        VNetModelBuilder.Write(RandomWeights.Create(VNetArchitecture.Spine(16), 1), _path, new VNetBuildOptions { Grid = new Shape3(512, 512, 12) });
    }

    [Benchmark]
    public string Load()
    {
        using var network = OnnxSegmentationNetwork.Load(_path, new OnnxNetworkOptions { IntraOpThreads = 2, Logits = Logits });
        return network.Form;
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_dir, true);
}
