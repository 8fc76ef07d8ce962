using System.Buffers;
using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.InteropServices;
using MRISpineSeg.Imaging.Volumes;

namespace MRISpineSeg.Imaging.IO;

/// <summary>
/// Streams stored voxels into a destination buffer of the requested element type. When no conversion is needed the
/// bytes land directly in the destination array; otherwise a fixed 1 MiB chunk is read, byte-swapped in place and
/// converted, so a gzip file is never held twice in memory.
/// </summary>
internal static class VoxelDecoder
{
    private const int ChunkBytes = 1 << 20;

    /// <summary>Describes the stored data and what to turn it into.</summary>
    public readonly record struct Request(
        VoxelType Stored,
        bool BigEndian,
        int Count,
        VoxelType Target,
        Scaling Scaling,
        bool ScaleInDouble,
        string? FileName);

    public static VoxelBuffer Decode(Stream source, in Request req)
    {
        var dest = VoxelBuffer.Allocate(req.Target, req.Count);
        if (req.Target == req.Stored && req.Scaling.IsIdentity)
        {
            var bytes = dest.AsBytes();
            var got = Compression.ReadFully(source, bytes, req.FileName, "voxel data");
            if (got < bytes.Length) ThrowTruncated(req, got, bytes.Length);
            if (req.BigEndian) SwapInPlace(bytes, VoxelTypes.SizeOf(req.Stored));
            return dest;
        }

        var size = VoxelTypes.SizeOf(req.Stored);
        var chunk = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        try
        {
            var total = (long)req.Count * size;
            long done = 0;
            while (done < total)
            {
                var want = (int)Math.Min(ChunkBytes, total - done);
                var span = chunk.AsSpan(0, want);
                var got = Compression.ReadFully(source, span, req.FileName, "voxel data");
                if (got < want) ThrowTruncated(req, done + got, total);
                if (req.BigEndian) SwapInPlace(span, size);
                ConvertChunk(span, (int)(done / size), dest, req);
                done += want;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        return dest;
    }

    /// <summary>Fails when the source holds any byte beyond the declared data (a gzip bomb is never inflated past one byte).</summary>
    public static void EnsureNoTrailingData(Stream source, long declaredBytes, string? fileName)
    {
        Span<byte> one = stackalloc byte[1];
        if (Compression.ReadFully(source, one, fileName, "voxel data") > 0)
            throw new VolumeFormatException(VolumeErrorReason.TrailingData, fileName, "voxel data", $"the file holds more than the {declaredBytes} bytes of voxel data the header declares (dims × bitpix); the header and the data disagree");
    }

    public static void SwapInPlace(Span<byte> bytes, int size)
    {
        switch (size)
        {
            case 2:
                var s = MemoryMarshal.Cast<byte, ushort>(bytes);
                BinaryPrimitives.ReverseEndianness(s, s);
                break;
            case 4:
                var i = MemoryMarshal.Cast<byte, uint>(bytes);
                BinaryPrimitives.ReverseEndianness(i, i);
                break;
            case 8:
                var l = MemoryMarshal.Cast<byte, ulong>(bytes);
                BinaryPrimitives.ReverseEndianness(l, l);
                break;
        }
    }

    private static void ThrowTruncated(in Request req, long got, long want)
        => throw new VolumeFormatException(VolumeErrorReason.TruncatedData, req.FileName, "voxel data", $"ends after {got} of {want} bytes; the header declares {req.Count} voxels of {VoxelTypes.Name(req.Stored)}. The file is truncated (an interrupted upload or copy?)");

    private static void ConvertChunk(ReadOnlySpan<byte> raw, int offset, VoxelBuffer dest, in Request req)
    {
        switch (req.Stored)
        {
            case VoxelType.UInt8: ConvertFrom(MemoryMarshal.Cast<byte, byte>(raw), offset, dest, req); break;
            case VoxelType.Int8: ConvertFrom(MemoryMarshal.Cast<byte, sbyte>(raw), offset, dest, req); break;
            case VoxelType.Int16: ConvertFrom(MemoryMarshal.Cast<byte, short>(raw), offset, dest, req); break;
            case VoxelType.UInt16: ConvertFrom(MemoryMarshal.Cast<byte, ushort>(raw), offset, dest, req); break;
            case VoxelType.Int32: ConvertFrom(MemoryMarshal.Cast<byte, int>(raw), offset, dest, req); break;
            case VoxelType.UInt32: ConvertFrom(MemoryMarshal.Cast<byte, uint>(raw), offset, dest, req); break;
            case VoxelType.Float32: ConvertFrom(MemoryMarshal.Cast<byte, float>(raw), offset, dest, req); break;
            case VoxelType.Float64: ConvertFrom(MemoryMarshal.Cast<byte, double>(raw), offset, dest, req); break;
        }
    }

    private static void ConvertFrom<TSrc>(ReadOnlySpan<TSrc> src, int offset, VoxelBuffer dest, in Request req)
        where TSrc : unmanaged, INumberBase<TSrc>
    {
        switch (dest)
        {
            case VoxelBuffer<float> f:
                VoxelConvert.ToFloat32(src, f.Data.AsSpan(offset, src.Length), req.Scaling, req.ScaleInDouble);
                break;
            case VoxelBuffer<double> d:
                VoxelConvert.ToFloat64(src, d.Data.AsSpan(offset, src.Length), req.Scaling);
                break;
            case VoxelBuffer<byte> b: VoxelConvert.ToInteger(src, b.Data.AsSpan(offset, src.Length), req.Scaling, offset, req.FileName); break;
            case VoxelBuffer<sbyte> sb: VoxelConvert.ToInteger(src, sb.Data.AsSpan(offset, src.Length), req.Scaling, offset, req.FileName); break;
            case VoxelBuffer<short> s: VoxelConvert.ToInteger(src, s.Data.AsSpan(offset, src.Length), req.Scaling, offset, req.FileName); break;
            case VoxelBuffer<ushort> us: VoxelConvert.ToInteger(src, us.Data.AsSpan(offset, src.Length), req.Scaling, offset, req.FileName); break;
            case VoxelBuffer<int> i: VoxelConvert.ToInteger(src, i.Data.AsSpan(offset, src.Length), req.Scaling, offset, req.FileName); break;
            case VoxelBuffer<uint> ui: VoxelConvert.ToInteger(src, ui.Data.AsSpan(offset, src.Length), req.Scaling, offset, req.FileName); break;
        }
    }
}
