using MRISpineSeg.Imaging.Volumes;
using MRISpineSeg.Segmentation.Model;

namespace MRISpineSeg.Segmentation.Tests;

internal static class TestManifests
{
    public static ModelManifest Spine(Shape3 grid) => new()
    {
        ModelId = "test-manifest",
        ClassNames = SpineClasses.Names,
        InputGrid = grid,
        WeightsSha256 = new string('0', 64),
    };
}
