using MRISpineSeg.Phantoms;
using MRISpineSeg.Scoring.Metrics;
using MRISpineSeg.Segmentation.Model.Inference;

namespace MRISpineSeg.Segmentation.Tests.EndToEnd;

/// <summary>
/// The committed demo model (local/models/spineseg-demo.onnx) on a phantom it never saw in training (training used
/// seeds 1000–1119): the whole C# path must still segment it, so a regression in preprocessing, geometry or the model
/// fails CI. Threshold: challenge mean Dice ≥ 0.80 (structures 1–19 present in either mask).
/// </summary>
public sealed class DemoModelTests
{
    [Fact]
    public async Task DemoModelShouldSegmentAHeldOutPhantom()
    {
        var phantom = PhantomGenerator.Generate(5003);
        using var network = OnnxSegmentationNetwork.Load(DemoModelPath(), new OnnxNetworkOptions { IntraOpThreads = 2 });
        var segmenter = new Segmenter(network);

        var result = await Task.Run(() => segmenter.Segment(phantom.Image, "Case5003.nii.gz"));

        Assert.Equal(phantom.Image.Shape, result.Mask.Shape);
        Assert.Equal(phantom.Image.Geometry.Affine, result.Mask.Geometry.Affine);
        var dice = ConfusionMatrix.Count(phantom.Mask.Voxels.As<byte>().Data, result.Mask.Voxels.As<byte>().Data).DiceAll();
        var defined = dice.Skip(1).Where(d => d.HasValue).Select(d => d!.Value).ToArray();
        var mean = defined.Average();
        Assert.True(mean >= 0.80, $"challenge mean Dice of the demo model on held-out phantom 5003 is {mean:F4}");
        Assert.StartsWith("synthetic phantoms only", result.Stats.TrainingData); // a user reads what it was trained on
    }

    /// <summary>The model is committed at local/models/ in the repository; walk up from the test binaries to find it.</summary>
    internal static string DemoModelPath() => RepositoryFile("local", "models", "spineseg-demo.onnx");

    /// <summary>A file committed with the repository (a model, a real scan), found by walking up from the test binaries.</summary>
    internal static string RepositoryFile(params string[] parts)
    {
        var relative = Path.Combine(parts);
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, relative);
            if (File.Exists(candidate)) return candidate;
        }

        throw new FileNotFoundException($"{relative} was not found above {AppContext.BaseDirectory}; it is committed with the repository (see local/models/ and local/realdata/).");
    }
}
