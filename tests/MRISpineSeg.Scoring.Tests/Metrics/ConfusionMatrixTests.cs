using MRISpineSeg.Scoring.Metrics;

namespace MRISpineSeg.Scoring.Tests.Metrics;

public sealed class ConfusionMatrixTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(31)]
    [InlineData(1000)]
    [InlineData(100_003)]
    public void CountsShouldEqualANaiveCountForAnyLength(int length)
    {
        var rng = new Random(length);
        var t = new byte[length];
        var p = new byte[length];
        for (var i = 0; i < length; i++)
        {
            // Mostly background so the vector skip path and the scalar path both run.
            t[i] = rng.NextDouble() < 0.7 ? (byte)0 : (byte)rng.Next(20);
            p[i] = rng.NextDouble() < 0.7 ? (byte)0 : (byte)rng.Next(20);
        }

        var naive = new long[20, 20];
        for (var i = 0; i < length; i++) naive[t[i], p[i]]++;
        var m = ConfusionMatrix.Count(t, p);
        for (var a = 0; a < 20; a++)
        {
            for (var b = 0; b < 20; b++) Assert.Equal(naive[a, b], m[a, b]);
        }
    }

    [Fact]
    public void DiceShouldBeTwoTpOverTwoTpPlusFpPlusFn()
    {
        // class 1: TP 2, FN 1 (truth 1 -> pred 0), FP 1 (truth 0 -> pred 1) => 4 / 6.
        byte[] t = [1, 1, 1, 0, 0, 2];
        byte[] p = [1, 1, 0, 1, 0, 2];
        var m = ConfusionMatrix.Count(t, p);
        Assert.Equal(4.0 / 6.0, m.Dice(1)!.Value, 15);
        Assert.Equal(1.0, m.Dice(2));
        Assert.Equal(2.0 / 4.0, m.Dice(0)!.Value, 15);
    }

    [Fact]
    public void DiceOfAClassAbsentFromBothMasksShouldBeNull()
    {
        var m = ConfusionMatrix.Count(new byte[64], new byte[64]);
        Assert.Null(m.Dice(5));
        Assert.Equal(1.0, m.Dice(0));
    }

    [Fact]
    public void DiceOfAClassOnlyInOneMaskShouldBeZero()
    {
        byte[] t = [3, 0];
        byte[] p = [0, 0];
        Assert.Equal(0.0, ConfusionMatrix.Count(t, p).Dice(3));
    }

    [Fact]
    public void LabelScanShouldFindTheMaximumAndTheValuesOutOfRange()
    {
        var labels = new byte[1000];
        labels[999] = 19;
        Assert.Equal(19, LabelScan.Max(labels));
        labels[17] = 200;
        labels[500] = 20;
        Assert.Equal(200, LabelScan.Max(labels));
        Assert.Equal([20, 200], LabelScan.ValuesOutOfRange(labels));
    }
}
