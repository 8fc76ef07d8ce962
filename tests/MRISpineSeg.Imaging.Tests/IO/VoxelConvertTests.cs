using MRISpineSeg.Imaging.IO;

namespace MRISpineSeg.Imaging.Tests.IO;

public sealed class VoxelConvertTests
{
    [Fact]
    public void NarrowShouldAcceptNegativeZeroAndTheFullByteRange()
    {
        var src = new float[70]; // 2 vector blocks of 32 and a scalar tail
        for (var i = 0; i < src.Length; i++) src[i] = MathF.Floor(i * 255f / 69f);
        src[3] = -0f;
        var dest = new byte[src.Length];

        Assert.Equal(-1, VoxelConvert.NarrowFloat32ToBytes(src, dest));

        for (var i = 0; i < src.Length; i++) Assert.Equal((byte)src[i], dest[i]);
        Assert.Equal(255, dest[^1]);
    }

    [Theory]
    [InlineData(2.5f, 5)]
    [InlineData(-1f, 40)]
    [InlineData(256f, 69)]
    [InlineData(float.NaN, 64)]
    public void NarrowShouldReportTheFirstValueThatIsNotAByte(float bad, int at)
    {
        var src = new float[70];
        src[at] = bad;
        src[^1] = bad; // a later bad value is not the one reported, unless it is the same index
        Assert.Equal(at, VoxelConvert.NarrowFloat32ToBytes(src, new byte[70]));
    }
}
