using MRISpineSeg.Imaging.Volumes;
using MRISpineSeg.Segmentation.Model.Inference;
using MRISpineSeg.Segmentation.Model.VNet;
using MRISpineSeg.Segmentation.Model.Weights;

namespace MRISpineSeg.Segmentation.Tests.EndToEnd;

/// <summary>
/// A real ONNX VNet (width 2, seeded He-normal weights, grid 32×32×12, 20 classes), built once by the model builder and
/// loaded into ONNX Runtime; shared by the end-to-end tests. Also a 5-class one for the manifest-mismatch tests.
/// </summary>
public sealed class RandomVNetFixture : IDisposable
{
    public RandomVNetFixture()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("seg-e2e-");
        ModelPath = Build("vnet-w2.onnx", 20);
        FiveClassModelPath = Build("vnet-w2-c5.onnx", 5);
        Network = OnnxSegmentationNetwork.Load(ModelPath, new OnnxNetworkOptions { IntraOpThreads = 1 });
    }

    public DirectoryInfo Directory { get; }

    public string ModelPath { get; }

    public string FiveClassModelPath { get; }

    public OnnxSegmentationNetwork Network { get; }

    public static Shape3 Grid => new(32, 32, 12);

    public void Dispose()
    {
        Network.Dispose();
        Directory.Delete(recursive: true);
    }

    private string Build(string name, int classes)
    {
        var path = Path.Combine(Directory.FullName, name);
        var weights = RandomWeights.Create(VNetArchitecture.Spine(2, classes), seed: 1);
        VNetModelBuilder.Write(weights, path, new VNetBuildOptions { Grid = Grid });
        return path;
    }
}
