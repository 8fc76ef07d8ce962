using MRISpineSeg.Segmentation.Preview;

namespace MRISpineSeg.Segmentation.Tests.Preview;

public sealed class PngEncoderTests
{
    [Fact]
    public void Crc32ShouldMatchTheStandardCheckValue()
        => Assert.Equal(0xCBF43926u, PngEncoder.Crc32(0xFFFFFFFFu, "123456789"u8) ^ 0xFFFFFFFFu);

    [Fact]
    public void EncodedImageShouldDecodeToTheSamePixels()
    {
        var rng = new Random(11);
        var rgb = new byte[37 * 23 * 3];
        rng.NextBytes(rgb);
        var (w, h, decoded) = PngTestReader.Decode(PngEncoder.Encode(rgb, 37, 23));
        Assert.Equal((37, 23), (w, h));
        Assert.Equal(rgb, decoded);
    }

    [Fact]
    public void WrongBufferSizeShouldBeRefused()
        => Assert.Throws<ArgumentException>(() => PngEncoder.Encode(new byte[10], 2, 2));
}
