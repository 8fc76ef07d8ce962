using System.IO.Compression;
using System.Runtime.InteropServices;
using MRISpineSeg.Imaging;
using MRISpineSeg.Imaging.IO;
using MRISpineSeg.Imaging.Volumes;

namespace MRISpineSeg.Scoring.Inputs;

/// <summary>
/// Decodes label masks into one reused byte buffer, so scoring a case allocates nothing per voxel.
/// <para>
/// Fast path, for the masks submissions actually contain (little-endian NIfTI, unscaled, stored as uint8 or float32):
/// the header comes from <see cref="VolumeIO.ReadHeader"/>, then the voxel stream is inflated in 1 MiB chunks and
/// float32 values are checked and narrowed 32 at a time (<see cref="VoxelConvert.NarrowFloat32ToBytes"/>, which
/// <see cref="VolumeIO"/> also uses). The decode lands in a buffer reused from mask to mask: allocating and
/// faulting in a fresh 3 MB array per mask made `spineseg score` 1.33× slower (BENCHMARKS.md). Everything else (MetaImage, big-endian, scaled or other
/// element types) goes through <see cref="VolumeIO.Read(string, VolumeReadOptions?)"/> with a uint8 element type.
/// Both paths have the same contract: a value that is not an exact integer in 0..255 throws
/// <see cref="VolumeFormatException"/> with <see cref="VolumeErrorReason.ValueNotRepresentable"/>, and data beyond
/// what the header declares is refused (a gzip bomb is never inflated past one byte).
/// </para>
/// </summary>
internal sealed class MaskReader
{
    private const int ChunkBytes = 1 << 20;
    private static readonly VolumeReadOptions AsLabels = new() { ElementType = VoxelType.UInt8 };
    private readonly byte[] chunk = new byte[ChunkBytes];
    private byte[] buffer = [];

    public LabelMask Read(string path)
    {
        using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        if (!IsNifti(path)) return Fallback(path);
        var info = VolumeIO.ReadHeader(fs, path);
        var h = info.NiftiHeader;
        if (h is null || h.WasBigEndian || !info.Scaling.IsIdentity || info.VoxelType is not (VoxelType.UInt8 or VoxelType.Float32) || info.Shape.Count > VolumeReadOptions.DefaultMaxVoxelBytes / 4)
            return Fallback(path);

        var count = (int)info.Shape.Count;
        if (buffer.Length < count) buffer = GC.AllocateUninitializedArray<byte>(count);
        fs.Position = 0;
        using var data = OpenData(fs);
        Skip(data, Math.Max(h.VoxOffset, h.HeaderSize + 4), path);
        var labels = buffer.AsSpan(0, count);
        if (info.VoxelType == VoxelType.UInt8) Fill(data, labels, path);
        else DecodeFloat32(data, labels, path);
        if (data.Read(chunk.AsSpan(0, 1)) > 0)
            throw new VolumeFormatException(VolumeErrorReason.TrailingData, path, "voxel data", "the file holds more voxel data than the header declares (dims × bitpix); the header and the data disagree");
        return new LabelMask(info.Shape, info.Geometry, new ArraySegment<byte>(buffer, 0, count));
    }

    private static LabelMask Fallback(string path)
    {
        var v = VolumeIO.Read(path, AsLabels);
        var data = v.Voxels.As<byte>().Data;
        return new LabelMask(v.Shape, v.Geometry, new ArraySegment<byte>(data));
    }

    private static bool IsNifti(string path) => VolumeIO.TryGetFormat(path, out var f) && f == VolumeFormat.Nifti;

    private static Stream OpenData(FileStream fs)
    {
        Span<byte> magic = stackalloc byte[2];
        var n = fs.ReadAtLeast(magic, 2, throwOnEndOfStream: false);
        fs.Position = 0;
        return n == 2 && magic[0] == 0x1f && magic[1] == 0x8b ? new GZipStream(fs, CompressionMode.Decompress, leaveOpen: true) : new NonClosing(fs);
    }

    private void Skip(Stream s, long bytes, string path)
    {
        while (bytes > 0)
        {
            var want = (int)Math.Min(bytes, ChunkBytes);
            if (ReadFully(s, chunk.AsSpan(0, want), path) < want) throw Truncated(path);
            bytes -= want;
        }
    }

    private static void Fill(Stream s, Span<byte> dest, string path)
    {
        if (ReadFully(s, dest, path) < dest.Length) throw Truncated(path);
    }

    private void DecodeFloat32(Stream s, Span<byte> dest, string path)
    {
        var done = 0;
        while (done < dest.Length)
        {
            var want = Math.Min(ChunkBytes / 4, dest.Length - done) * 4;
            if (ReadFully(s, chunk.AsSpan(0, want), path) < want) throw Truncated(path);
            var values = MemoryMarshal.Cast<byte, float>(chunk.AsSpan(0, want));
            var bad = VoxelConvert.NarrowFloat32ToBytes(values, dest.Slice(done, values.Length));
            if (bad >= 0)
                throw new VolumeFormatException(VolumeErrorReason.ValueNotRepresentable, path, "voxel data", $"voxel {done + bad} holds {values[bad]:G9}, which is not an integer in 0..255; it cannot be read as uint8");
            done += values.Length;
        }
    }

    private static int ReadFully(Stream s, Span<byte> dest, string path)
    {
        try
        {
            return s.ReadAtLeast(dest, dest.Length, throwOnEndOfStream: false);
        }
        catch (InvalidDataException ex)
        {
            throw new VolumeFormatException(VolumeErrorReason.CorruptCompression, path, "voxel data", $"the compressed stream is damaged ({ex.Message}); re-export or re-upload the file", ex);
        }
    }

    private static VolumeFormatException Truncated(string path)
        => new(VolumeErrorReason.TruncatedData, path, "voxel data", "ends before all the voxels the header declares; the file is truncated (an interrupted upload or copy?)");

    /// <summary>Lets the gzip-less path dispose its wrapper without closing the file twice.</summary>
    private sealed class NonClosing(Stream inner) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

        public override int Read(Span<byte> buffer) => inner.Read(buffer);

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
