using MRISpineSeg.Imaging;
using MRISpineSeg.Imaging.Volumes;
using MRISpineSeg.Segmentation.Preprocessing;
using MRISpineSeg.Segmentation.Tests.Goldens;

namespace MRISpineSeg.Segmentation.Tests.Preprocessing;

/// <summary>
/// The training tool (local/training/spine_data.py) and the product bring a scan to the network's input the same way:
/// Goldens/training/make_training_goldens.py runs the tool's own function on scans stored RAS, LIA, SPR and oblique;
/// here the product's orientation and preprocessing must give the same tensors.
/// </summary>
public sealed class ScanOnGridGoldenTests
{
    private static readonly Shape3 Grid = new(24, 20, 8);

    [Theory]
    [InlineData("RAS")]
    [InlineData("LIA")]
    [InlineData("SPR")]
    [InlineData("oblique_ras")]
    public void TheProductsInputShouldEqualTheTrainingToolsInput(string stem)
    {
        var scan = VolumeIO.Read(Golden.Path($"orientation/{stem}.nii.gz"), new VolumeReadOptions { ElementType = VoxelType.Float32 });
        var manifest = TestManifests.Spine(Grid);
        var toModel = ScanOrientation.ToModel(ScanOrientation.Of(scan.Geometry, scan.NiftiHeader, stem), manifest);
        Assert.False(toModel.IsIdentity); // every golden here needs reorienting

        var oriented = toModel.Apply(scan.ToFloat32(), scan.Shape);
        var input = PaddlePreprocessor.Run(oriented, toModel.Apply(scan.Shape), manifest, scanName: stem);

        var expected = Golden.ReadFloats(Golden.Path($"training/{stem}_psr_24x20x8.f32"));
        Assert.Equal(expected.Length, input.Tensor.Length);
        var worst = 0.0;
        for (var i = 0; i < expected.Length; i++) worst = Math.Max(worst, Math.Abs(expected[i] - input.Tensor[i]));
        Assert.True(worst <= 1e-5, $"max |product - training tool| = {worst:G3}");
    }
}
