using System.Buffers.Binary;
using System.IO.Compression;

namespace MRISpineSeg.Segmentation.Preview;

/// <summary>
/// A minimal PNG writer (ISO/IEC 15948): 8-bit RGB, no interlace, one IDAT chunk compressed by zlib, each scanline with
/// the "Sub" filter (good on smooth MR images and flat overlay colours). Written here rather than taken from a package:
/// ImageSharp 2.x carries published advisories and 3.x needs a commercial licence for this use, and SkiaSharp brings
/// native libraries and fonts that a headless container job would have to ship. Writing is all a preview needs.
/// </summary>
public static class PngEncoder
{
    private static readonly byte[] Signature = [137, 80, 78, 71, 13, 10, 26, 10];
    private static readonly uint[] CrcTable = BuildCrcTable();

    /// <summary>Encodes <paramref name="rgb"/> (row-major, top row first, 3 bytes per pixel).</summary>
    public static byte[] Encode(ReadOnlySpan<byte> rgb, int width, int height)
    {
        using var ms = new MemoryStream();
        Encode(rgb, width, height, ms);
        return ms.ToArray();
    }

    /// <summary>Writes the PNG to <paramref name="output"/>.</summary>
    public static void Encode(ReadOnlySpan<byte> rgb, int width, int height, Stream output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (width <= 0 || height <= 0) throw new ArgumentOutOfRangeException(nameof(width), $"{width}x{height} is not a valid image size.");
        var stride = checked(width * 3);
        if (rgb.Length != (long)stride * height) throw new ArgumentException($"{rgb.Length} bytes do not make a {width}x{height} RGB image.", nameof(rgb));

        output.Write(Signature);
        Span<byte> ihdr = stackalloc byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr[4..], height);
        ihdr[8] = 8; // bit depth
        ihdr[9] = 2; // colour type: truecolour
        ihdr[10] = 0; // deflate
        ihdr[11] = 0; // adaptive filtering
        ihdr[12] = 0; // no interlace
        WriteChunk(output, "IHDR"u8, ihdr);
        WriteChunk(output, "IDAT"u8, Compress(rgb, stride, height));
        WriteChunk(output, "IEND"u8, []);
    }

    private static byte[] Compress(ReadOnlySpan<byte> rgb, int stride, int height)
    {
        using var ms = new MemoryStream();
        using (var z = new ZLibStream(ms, CompressionLevel.Optimal, leaveOpen: true))
        {
            var line = new byte[stride + 1];
            line[0] = 1; // filter type Sub: each byte minus the same channel of the pixel to its left
            for (var y = 0; y < height; y++)
            {
                var row = rgb.Slice(y * stride, stride);
                for (var i = 0; i < 3; i++) line[1 + i] = row[i];
                for (var i = 3; i < stride; i++) line[1 + i] = (byte)(row[i] - row[i - 3]);
                z.Write(line);
            }
        }

        return ms.ToArray();
    }

    private static void WriteChunk(Stream output, ReadOnlySpan<byte> type, ReadOnlySpan<byte> data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        output.Write(word);
        output.Write(type);
        output.Write(data);
        var crc = Crc32(0xFFFFFFFFu, type);
        crc = Crc32(crc, data) ^ 0xFFFFFFFFu;
        BinaryPrimitives.WriteUInt32BigEndian(word, crc);
        output.Write(word);
    }

    /// <summary>CRC-32 (ISO 3309, polynomial 0xEDB88320) as PNG chunks use it; pass 0xFFFFFFFF to start, xor at the end.</summary>
    internal static uint Crc32(uint crc, ReadOnlySpan<byte> data)
    {
        foreach (var b in data) crc = CrcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
        return crc;
    }

    private static uint[] BuildCrcTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            var c = n;
            for (var k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            table[n] = c;
        }

        return table;
    }
}
