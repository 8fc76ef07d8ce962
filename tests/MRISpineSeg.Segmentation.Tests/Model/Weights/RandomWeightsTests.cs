using MRISpineSeg.Segmentation.Model.VNet;
using MRISpineSeg.Segmentation.Model.Weights;

namespace MRISpineSeg.Segmentation.Tests.Model.Weights;

public sealed class RandomWeightsTests
{
    [Fact]
    public void SameSeedShouldGiveIdenticalWeights()
    {
        var a = RandomWeights.Create(VNetArchitecture.Spine(2), 42);
        var b = RandomWeights.Create(VNetArchitecture.Spine(2), 42);
        Assert.Equal(a.Sha256, b.Sha256);
        Assert.Equal(a["up_tr64.ops.0.conv1.weight"].Data, b["up_tr64.ops.0.conv1.weight"].Data);
        Assert.NotEqual(a.Sha256, RandomWeights.Create(VNetArchitecture.Spine(2), 43).Sha256);
    }

    [Fact]
    public void RandomWeightsShouldBeHeNormalWithFreshNormalisation()
    {
        var w = RandomWeights.Create(VNetArchitecture.Spine(16), 5);
        var conv = w["up_tr256.ops.0.conv1.weight"].Data; // fan_in 256·125
        var std = Math.Sqrt(conv.Select(v => (double)v * v).Average());
        Assert.InRange(std, 0.98 * Math.Sqrt(2.0 / (256 * 125)), 1.02 * Math.Sqrt(2.0 / (256 * 125)));
        Assert.All(w["in_tr.bn1._variance"].Data, v => Assert.Equal(1f, v));
        Assert.All(w["in_tr.bn1._mean"].Data, v => Assert.Equal(0f, v));
        Assert.All(w["out_tr.relu1._weight"].Data, v => Assert.Equal(0.25f, v));
        WeightValidator.Validate(w, VNetArchitecture.Spine(16));
    }
}
