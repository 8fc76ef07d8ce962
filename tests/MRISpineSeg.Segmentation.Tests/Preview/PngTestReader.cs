using System.Buffers.Binary;
using System.IO.Compression;
using MRISpineSeg.Segmentation.Preview;

namespace MRISpineSeg.Segmentation.Tests.Preview;

/// <summary>An independent decoder for 8-bit RGB PNGs (filters None, Sub, Up), checking every chunk's CRC.</summary>
internal static class PngTestReader
{
    public static (int Width, int Height, byte[] Rgb) Decode(byte[] png)
    {
        Assert.Equal(new byte[] { 137, 80, 78, 71, 13, 10, 26, 10 }, png[..8]);
        int pos = 8, width = 0, height = 0;
        using var idat = new MemoryStream();
        var sawEnd = false;
        while (pos < png.Length)
        {
            var len = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(pos));
            var type = System.Text.Encoding.ASCII.GetString(png, pos + 4, 4);
            var data = png.AsSpan(pos + 8, len);
            var crc = BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(pos + 8 + len));
            Assert.Equal(crc, PngEncoder.Crc32(0xFFFFFFFFu, png.AsSpan(pos + 4, 4 + len)) ^ 0xFFFFFFFFu);
            if (type == "IHDR")
            {
                width = BinaryPrimitives.ReadInt32BigEndian(data);
                height = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
                Assert.Equal(8, data[8]);
                Assert.Equal(2, data[9]);
            }
            else if (type == "IDAT")
            {
                idat.Write(data);
            }
            else if (type == "IEND")
            {
                sawEnd = true;
            }

            pos += 12 + len;
        }

        Assert.True(sawEnd);
        idat.Position = 0;
        using var z = new ZLibStream(idat, CompressionMode.Decompress);
        using var raw = new MemoryStream();
        z.CopyTo(raw);
        var bytes = raw.ToArray();
        var stride = width * 3;
        Assert.Equal((stride + 1) * height, bytes.Length);
        var rgb = new byte[stride * height];
        for (var y = 0; y < height; y++)
        {
            var filter = bytes[y * (stride + 1)];
            for (var i = 0; i < stride; i++)
            {
                var v = bytes[(y * (stride + 1)) + 1 + i];
                var left = i >= 3 ? rgb[(y * stride) + i - 3] : 0;
                var up = y > 0 ? rgb[((y - 1) * stride) + i] : 0;
                rgb[(y * stride) + i] = filter switch
                {
                    0 => v,
                    1 => (byte)(v + left),
                    2 => (byte)(v + up),
                    _ => throw new InvalidDataException($"filter {filter}"),
                };
            }
        }

        return (width, height, rgb);
    }
}
