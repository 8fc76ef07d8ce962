using System.IO.Compression;

namespace MRISpineSeg.Imaging.IO;

/// <summary>Sniffs gzip by its magic bytes (not by file name) and wraps the stream accordingly.</summary>
internal static class Compression
{
    /// <summary>
    /// Returns a stream that yields the decompressed bytes when <paramref name="source"/> starts with the gzip magic
    /// (1f 8b), else the bytes as they are. Returns null when the source is empty.
    /// </summary>
    public static Stream? OpenMaybeGzip(Stream source, out bool isGzip)
    {
        var head = new byte[2];
        var n = source.ReadAtLeast(head, 2, throwOnEndOfStream: false);
        isGzip = n == 2 && head[0] == 0x1f && head[1] == 0x8b;
        if (n == 0) return null;
        var replay = new PrefixedStream(head, n, source);
        return isGzip ? new GZipStream(replay, CompressionMode.Decompress, leaveOpen: false) : replay;
    }

    /// <summary>Reads until <paramref name="buffer"/> is full or the stream ends; turns damaged compression into a volume error.</summary>
    public static int ReadFully(Stream s, Span<byte> buffer, string? fileName, string field)
    {
        try
        {
            return s.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        }
        catch (InvalidDataException ex)
        {
            throw new VolumeFormatException(VolumeErrorReason.CorruptCompression, fileName, field, $"the compressed stream is damaged ({ex.Message}); re-export or re-upload the file", ex);
        }
    }
}
