using MRISpineSeg.Imaging.Volumes;
using MRISpineSeg.Segmentation.Model;

namespace MRISpineSeg.Segmentation.Tests.Model;

public sealed class ManifestCodecTests
{
    private static readonly ModelManifest Spine = TestManifests.Spine(new Shape3(32, 32, 12));

    [Fact]
    public void TrainingDataAndTheLargestComponentDefaultShouldRoundTrip()
    {
        var m = Spine with { TrainingData = "12 real sagittal T2 scans (Chu et al. 2015), vertebral bodies T11-L5", KeepLargestComponent = true };

        var read = ManifestCodec.FromJson(ManifestCodec.ToJson(m), "m.onnx");

        Assert.Equal(m.TrainingData, read.TrainingData);
        Assert.True(read.KeepLargestComponent);
    }

    [Fact]
    public void AManifestWrittenBeforeTheFieldsShouldReadAsNoDescriptionAndNoCleanUp()
    {
        var json = ManifestCodec.ToJson(Spine);
        Assert.DoesNotContain("training_data", json);
        Assert.DoesNotContain("keep_largest_component", json);

        var read = ManifestCodec.FromJson(json, "old.onnx");

        Assert.Null(read.TrainingData);
        Assert.False(read.KeepLargestComponent);
    }

    [Fact]
    public void AManifestWithoutTheGridRuleShouldReadAsAVNetWithNoRule()
    {
        var json = ManifestCodec.ToJson(Spine);
        Assert.DoesNotContain("grid_multiple", json);

        var read = ManifestCodec.FromJson(json, "old.onnx");

        Assert.Equal("vnet", read.Architecture);
        Assert.Equal(new Shape3(1, 1, 1), read.GridMultiple);
    }

    [Fact]
    public void TheGridRuleAndAnotherArchitectureShouldRoundTrip()
    {
        var m = Spine with { Architecture = "unet3d", Activation = "leaky_relu", Width = 8, InputGrid = new Shape3(128, 128, 16), GridMultiple = new Shape3(16, 16, 16) };

        var read = ManifestCodec.FromJson(ManifestCodec.ToJson(m), "m.onnx");

        Assert.Equal(m, read with { ClassNames = m.ClassNames });
    }

    [Theory]
    [InlineData("\"grid_multiple\":[16,16]", "grid_multiple: expected 3 integers")]
    [InlineData("\"grid_multiple\":[16,0,16]", "grid_multiple: [16,0,16] must be three positive integers")]
    [InlineData("\"keep_largest_component\":\"yes\"", "keep_largest_component: expected true or false")]
    [InlineData("\"training_data\":7", "training_data: expected a string")]
    [InlineData("\"training_data\":\"two\\nlines\"", "training_data: must be one non-empty line")]
    [InlineData("\"training_data\":\"\"", "training_data: must be one non-empty line")]
    public void ABadOptionalFieldShouldBeNamed(string field, string problem)
    {
        var json = ManifestCodec.ToJson(Spine).TrimEnd('}') + "," + field + "}";

        var ex = Assert.Throws<SegmentationException>(() => ManifestCodec.FromJson(json, "bad.onnx"));

        Assert.Equal(SegmentationErrorReason.InvalidManifest, ex.Reason);
        Assert.Contains(problem, ex.Message);
    }

    [Fact]
    public void LevelOrderingShouldRoundTripAndBeRefusedForAModelWithDiscs()
    {
        var vertebrae = TestManifests.Spine(new Shape3(32, 32, 12)) with { NumClasses = 9, ClassNames = SpineClasses.For(9, ClassNaming.Spine), OrderLevels = true };
        Assert.True(ManifestCodec.FromJson(ManifestCodec.ToJson(vertebrae), "vb.onnx").OrderLevels);
        Assert.DoesNotContain("order_levels", ManifestCodec.ToJson(Spine));

        var ex = Assert.Throws<SegmentationException>(() => ManifestCodec.FromJson(ManifestCodec.ToJson(Spine with { OrderLevels = true }), "discs.onnx"));

        Assert.Equal(SegmentationErrorReason.InvalidManifest, ex.Reason);
        Assert.Contains("order_levels: only for models whose classes are vertebrae from the bottom up with no discs (at most 11 classes", ex.Message);
    }

    [Fact]
    public void SpineNamingShouldGiveTheTablesFirstNamesAndRefuseMoreThanTheTable()
    {
        Assert.Equal(["background", "S", "L5", "L4"], SpineClasses.For(4, ClassNaming.Spine));
        Assert.Equal(["background", "class_1", "class_2", "class_3"], SpineClasses.For(4));
        Assert.Same(SpineClasses.Names, SpineClasses.For(20));
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => SpineClasses.For(21, ClassNaming.Spine));
        Assert.Contains("the table has 20", ex.Message);
    }
}
