using MRISpineSeg.Segmentation.Model.UNet3D;
using MRISpineSeg.Segmentation.Model.Weights;

namespace MRISpineSeg.Segmentation.Tests.Model.UNet3D;

public sealed class UNet3DArchitectureTests
{
    [Fact]
    public void PaddlesUNet3DAtBase8With20ClassesShouldHave68KeysAnd1785368Parameters()
    {
        var arch = UNet3DArchitecture.Create(8, 20);

        Assert.Equal(68, arch.Parameters().Count);
        Assert.Equal(1_785_368, arch.ParameterCount());
    }

    [Theory]
    [InlineData("conv3d_c1_1.weight", "8,1,3,3,3")]
    [InlineData("lrelu_conv_c1.1.weight", "8,8,3,3,3")]
    [InlineData("inorm3d_c1.scale", "8")]
    [InlineData("norm_lrelu_conv_c2.0.scale", "16")]
    [InlineData("norm_lrelu_conv_c2.2.weight", "16,16,3,3,3")]
    [InlineData("norm_lrelu_conv_c5.2.weight", "128,128,3,3,3")]
    [InlineData("norm_lrelu_upscale_conv_norm_lrelu_l0.3.weight", "64,128,3,3,3")]
    [InlineData("conv_norm_lrelu_l1.0.weight", "128,128,3,3,3")]
    [InlineData("conv3d_l4.weight", "20,16,1,1,1")]
    [InlineData("ds2_1x1_conv3d.weight", "20,64,1,1,1")]
    [InlineData("ds3_1x1_conv3d.weight", "20,32,1,1,1")]
    public void KeysShouldBePaddlesNamesWithPaddlesShapes(string key, string shape)
    {
        var spec = UNet3DArchitecture.Create(8, 20).Parameters().Single(p => p.Name == key);

        Assert.Equal(shape, string.Join(",", spec.Shape));
    }

    [Fact]
    public void BaseFiltersAndClassesShouldBeInferredFromTheWeights()
    {
        var weights = RandomWeights.Create(UNet3DArchitecture.Create(4, 9).Parameters(), 1);

        Assert.Equal(UNet3DArchitecture.Create(4, 9), UNet3DArchitecture.Infer(weights));
    }

    [Fact]
    public void WeightsThatDoNotFitShouldBeRefusedInOneErrorListingEveryMissingUnexpectedAndMisShapedKey()
    {
        var arch = UNet3DArchitecture.Create(2, 5);
        var good = RandomWeights.Create(arch.Parameters(), 1).Tensors;
        var tensors = good.Where(kv => kv.Key is not ("inorm3d_c2.bias" or "ds3_1x1_conv3d.weight")).ToDictionary();
        tensors["conv3d_c3.weight"] = new WeightTensor("conv3d_c3.weight", [8, 4, 3, 3, 1], new float[8 * 4 * 9]);
        tensors["inorm3d_c5.scale"] = new WeightTensor("inorm3d_c5.scale", [32], new float[32]);
        var weights = new WeightSet(tensors, new string('0', 64), "bad.pdparams");

        var ex = Assert.Throws<SegmentationException>(() => arch.Validate(weights));

        Assert.Equal(SegmentationErrorReason.WeightsMismatch, ex.Reason);
        Assert.Contains("bad.pdparams: the weights do not fit UNet3D base 2, 5 classes", ex.Message);
        Assert.Contains("2 missing: inorm3d_c2.bias, ds3_1x1_conv3d.weight", ex.Message);
        Assert.Contains("1 unexpected: inorm3d_c5.scale", ex.Message);
        Assert.Contains("1 mis-shaped: conv3d_c3.weight is [8,4,3,3,1], expected [8,4,3,3,3]", ex.Message);
    }

    [Fact]
    public void AVNetStateDictShouldBeRefusedNamingTheMissingAnchor()
    {
        var vnet = RandomWeights.Create(MRISpineSeg.Segmentation.Model.VNet.VNetArchitecture.Spine(1), 1);

        var ex = Assert.Throws<SegmentationException>(() => UNet3DArchitecture.Infer(vnet));

        Assert.Equal(SegmentationErrorReason.WeightsMismatch, ex.Reason);
        Assert.Contains("key 'conv3d_c1_1.weight' is missing", ex.Message);
    }
}
