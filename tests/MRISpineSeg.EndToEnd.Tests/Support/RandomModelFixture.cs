using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MRISpineSeg.Imaging.Volumes;
using MRISpineSeg.Pipeline.Handlers;
using MRISpineSeg.Pipeline.Hosting;
using MRISpineSeg.Segmentation.Model.VNet;
using MRISpineSeg.Segmentation.Model.Weights;
using MRISpineSeg.Pipeline.Jobs;
using MRISpineSeg.Pipeline.Outcomes;
using MRISpineSeg.Pipeline.Ports;
using MRISpineSeg.Pipeline.Storage;

namespace MRISpineSeg.EndToEnd.Tests.Support;

/// <summary>
/// A real, small ONNX VNet (width 2, seeded random weights, grid 32×32×12, the 20 spine classes) written by the model
/// builder to a temporary file, and the segmenter port resolved from it exactly as the hosts do
/// (<see cref="PortRegistration.AddScanSegmenter"/> with <c>ModelPath</c>): the product's adapter, not a double.
/// </summary>
public sealed class RandomModelFixture : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("e2e-model-");
    private readonly ServiceProvider _provider;

    public RandomModelFixture()
    {
        ModelPath = Path.Combine(_directory.FullName, "vnet-w2-random.onnx");
        var manifest = VNetModelBuilder.Write(RandomWeights.Create(VNetArchitecture.Spine(2), seed: 1), ModelPath, new VNetBuildOptions { Grid = new Shape3(32, 32, 12) });
        ModelId = manifest.ModelId;
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [PortRegistration.ModelPathSetting] = ModelPath,
            [PortRegistration.ModelThreadsSetting] = "1",
        }).Build();
        _provider = new ServiceCollection().AddScanSegmenter(config).AddSubmissionScorer(config).BuildServiceProvider();
        Segmenter = _provider.GetRequiredService<IScanSegmenter>();
        Scorer = _provider.GetRequiredService<ISubmissionScorer>();
    }

    public string ModelPath { get; }

    public string ModelId { get; }

    public IScanSegmenter Segmenter { get; }

    public ISubmissionScorer Scorer { get; }

    public void Dispose()
    {
        _provider.Dispose();
        _directory.Delete(recursive: true);
    }
}
