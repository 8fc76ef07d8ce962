using MRISpineSeg.Imaging.Volumes;
using MRISpineSeg.Segmentation.Model;

namespace MRISpineSeg.Segmentation.Tests;

public sealed class ManifestCheckTests
{
    private static readonly ModelManifest Good = TestManifests.Spine(new Shape3(32, 32, 12));

    [Fact]
    public void TheSpineManifestShouldPass() => ManifestCheck.Validate(Good, requireSpineLabels: true);

    [Fact]
    public void AModelOnTheTablesFirstClassesShouldPass()
        => ManifestCheck.Validate(Good with { NumClasses = 9, ClassNames = SpineClasses.For(9, ClassNaming.Spine) }, requireSpineLabels: true);

    [Fact]
    public void MoreClassesThanTheTableShouldBeRefused()
    {
        var names = SpineClasses.Names.Append("extra").ToArray();
        var ex = Assert.Throws<SegmentationException>(() => ManifestCheck.Validate(Good with { NumClasses = 21, ClassNames = names }, requireSpineLabels: true));
        Assert.Contains("has 21 classes but the MRSpineSeg table has 20", ex.Message);
    }

    [Fact]
    public void AGridThatBreaksTheManifestsRuleShouldBeRefusedNamingTheRuleAndTheNearestValidGrid()
    {
        var m = Good with { InputGrid = new Shape3(512, 500, 12), GridMultiple = new Shape3(16, 16, 16) };

        var ex = Assert.Throws<SegmentationException>(() => ManifestCheck.Validate(m, requireSpineLabels: true));

        Assert.Equal(SegmentationErrorReason.ModelMismatch, ex.Reason);
        Assert.Contains("512,500,12 breaks the model's grid rule: every extent must be a multiple of 16; the nearest valid grid is 512,496,16", ex.Message);
    }

    [Fact]
    public void AGridThatKeepsTheManifestsRuleShouldPass()
        => ManifestCheck.Validate(Good with { InputGrid = new Shape3(128, 128, 16), GridMultiple = new Shape3(16, 16, 16) }, requireSpineLabels: true);

    [Theory]
    [InlineData("grid")]
    [InlineData("layout")]
    [InlineData("order")]
    [InlineData("clip")]
    [InlineData("names")]
    [InlineData("renamed")]
    public void AManifestThePipelineCannotFeedShouldBeAModelMismatchNamingTheField(string fault)
    {
        var (m, field) = fault switch
        {
            "grid" => (Good with { InputGrid = new Shape3(32, 32, 1) }, "inputGrid"),
            "layout" => (Good with { Layout = "NCHWD" }, "layout"),
            "order" => (Good with { ImageOrder = 3 }, "resampling orders"),
            "clip" => (Good with { ClipMax = double.NaN }, "clipMax"),
            "names" => (Good with { ClassNames = SpineClasses.Names.Take(19).ToArray() }, "19 class names"),
            _ => (Good with { ClassNames = SpineClasses.Names.Select((n, i) => i == 12 ? "disc" : n).ToArray() }, "class 12 is named 'disc'"),
        };
        var ex = Assert.Throws<SegmentationException>(() => ManifestCheck.Validate(m, requireSpineLabels: true));
        Assert.Equal(SegmentationErrorReason.ModelMismatch, ex.Reason);
        Assert.Contains(field, ex.Message);
    }
}
