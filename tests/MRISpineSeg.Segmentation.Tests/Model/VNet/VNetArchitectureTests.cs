using MRISpineSeg.Imaging.Volumes;
using MRISpineSeg.Segmentation.Model.VNet;

namespace MRISpineSeg.Segmentation.Tests.Model.VNet;

public sealed class VNetArchitectureTests
{
    [Fact]
    public void Width16ShouldHavePaddleSegParameterCount()
    {
        var ps = VNetArchitecture.Spine().Parameters();
        var trainable = ps.Where(p => !p.IsStatistic).Sum(p => p.Count);
        var stats = ps.Where(p => p.IsStatistic).Sum(p => p.Count);
        Assert.Equal(45_688_708, trainable);
        Assert.Equal(5_352, stats);
    }

    [Fact]
    public void KeysShouldBePaddleStateDictNames()
    {
        var ps = VNetArchitecture.Spine().Parameters().ToDictionary(p => p.Name, p => p.Shape);
        Assert.Equal([16, 1, 5, 5, 5], ps["in_tr.conv1.weight"]);
        Assert.Equal([64], ps["down_tr64.ops.1.bn1._mean"]);
        Assert.Equal([64], ps["down_tr64.ops.1.bn1._variance"]);
        Assert.Equal([64, 16, 2, 2, 4], ps["up_tr32.up_conv.weight"]);
        Assert.Equal([32, 16, 2, 2, 4], ps["down_tr32.down_conv.weight"]);
        Assert.Equal([16], ps["in_tr.relu1._weight"]);
        Assert.Equal([20, 20, 1, 1, 1], ps["out_tr.conv2.weight"]);
    }

    [Fact]
    public void EluVariantShouldHaveNoSlopes()
        => Assert.DoesNotContain(VNetArchitecture.Spine(activation: VNetActivation.Elu).Parameters(), p => p.Name.Contains("relu", StringComparison.Ordinal));

    [Fact]
    public void SpineGridShouldFollowPaddleSegSpatialPath()
    {
        Assert.True(VNetArchitecture.Spine().TryLevelGrids(new Shape3(512, 512, 12), out var levels, out _));
        Assert.Equal([new(512, 512, 12), new(256, 256, 9), new(128, 128, 8), new(64, 64, 4), new(32, 32, 2)], levels);
    }

    [Theory]
    [InlineData(15, 16, 12)]
    [InlineData(16, 16, 11)]
    [InlineData(8, 8, 12)]
    public void GridThatCannotBeRestoredShouldBeRefused(int x, int y, int z)
    {
        Assert.False(VNetArchitecture.Spine().TryLevelGrids(new Shape3(x, y, z), out _, out var error));
        Assert.Contains("axis", error, StringComparison.Ordinal);
    }
}
