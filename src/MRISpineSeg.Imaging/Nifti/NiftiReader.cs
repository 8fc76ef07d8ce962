using System.Runtime.InteropServices;
using MRISpineSeg.Imaging.IO;
using MRISpineSeg.Imaging.Volumes;

namespace MRISpineSeg.Imaging.Nifti;

/// <summary>
/// Reads single-file NIfTI-1 and NIfTI-2 (<c>.nii</c>, and gzip-compressed <c>.nii.gz</c>, detected by magic bytes),
/// in either byte order, as nibabel does (docs/design.md §3). Streams: nothing is read past the voxel data, and gzip inflates
/// straight into the destination buffer.
/// </summary>
public static class NiftiReader
{
    /// <summary>The largest gap between header and voxels (extensions) we keep; larger is refused.</summary>
    private const long MaxExtensionBytes = 64L << 20;

    /// <summary>
    /// Reads only the fixed header from a stream of the file's first bytes (gzip or not). Needs 348 (NIfTI-1) or 540
    /// (NIfTI-2) decompressed bytes; a few KiB of a .nii.gz is enough. The header is validated as a full read would.
    /// </summary>
    public static VolumeHeaderInfo ReadHeader(Stream source, string? fileName)
    {
        ArgumentNullException.ThrowIfNull(source);
        using var s = Open(source, fileName);
        var header = ReadFixedHeader(s, fileName);
        return Describe(header, fileName);
    }

    public static Volume Read(Stream source, string? fileName, VolumeReadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        options ??= VolumeReadOptions.Default;
        using var s = Open(source, fileName);
        var header = ReadFixedHeader(s, fileName);
        var info = Describe(header, fileName);

        var target = options.ElementType ?? info.VoxelType;
        var count = info.Shape.Count;
        var decodedBytes = count * VoxelTypes.SizeOf(target);
        if (decodedBytes > options.MaxVoxelBytes || count > Array.MaxLength)
            throw new VolumeFormatException(VolumeErrorReason.TooLarge, fileName, "dim", $"{info.Shape} voxels as {VoxelTypes.Name(target)} need {decodedBytes:N0} bytes, above the limit of {options.MaxVoxelBytes:N0} bytes; raise the limit or crop the volume");

        header = header with { Extensions = ReadExtensions(s, header, fileName) };

        // nibabel keeps the stored type when there is no scaling and get_fdata applies it; we do the same on request only.
        var applyScaling = options.ElementType is not null;
        var request = new VoxelDecoder.Request(
            info.VoxelType,
            header.WasBigEndian,
            (int)count,
            target,
            applyScaling ? info.Scaling : Scaling.Identity,
            ScaleInDouble: VoxelConvert.ScalesInDouble(info.VoxelType, wideSlope: header.Version == 2),
            fileName);
        var voxels = VoxelDecoder.Decode(s, request);
        VoxelDecoder.EnsureNoTrailingData(s, count * VoxelTypes.SizeOf(info.VoxelType), fileName);
        return new Volume(info.Shape, voxels, info.Geometry, applyScaling ? Scaling.Identity : info.Scaling, header);
    }

    /// <summary>The scratch size <see cref="TryReadLabelsInto"/> wants: float32 voxels are inflated and narrowed this many bytes at a time.</summary>
    public const int LabelChunkBytes = 1 << 20;

    /// <summary>
    /// Decodes a label mask stored little-endian, unscaled, as uint8 or float32 into <paramref name="labels"/> (grown
    /// when too small, otherwise reused), in one pass over the file: header, extensions, voxels, and a check that
    /// nothing follows. Returns false, having read only the header, for any other kind of file (big-endian, scaled,
    /// another type, too large), which the caller then reads with <see cref="Read"/>. float32 values must be exact
    /// integers in 0..255 (<see cref="VolumeErrorReason.ValueNotRepresentable"/> otherwise, naming the voxel).
    /// </summary>
    public static bool TryReadLabelsInto(Stream source, string? fileName, ref byte[] labels, byte[] scratch, out VolumeHeaderInfo info)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(scratch);
        using var s = Open(source, fileName);
        var header = ReadFixedHeader(s, fileName);
        info = Describe(header, fileName);
        if (header.WasBigEndian || !info.Scaling.IsIdentity || info.VoxelType is not (VoxelType.UInt8 or VoxelType.Float32)
            || info.Shape.Count > VolumeReadOptions.DefaultMaxVoxelBytes / sizeof(float))
            return false;

        ReadExtensions(s, header, fileName);
        var count = (int)info.Shape.Count;
        if (labels.Length < count) labels = GC.AllocateUninitializedArray<byte>(count);
        var dest = labels.AsSpan(0, count);
        if (info.VoxelType == VoxelType.UInt8)
        {
            if (Compression.ReadFully(s, dest, fileName, "voxel data") < count) throw TruncatedVoxels(fileName);
        }
        else
        {
            var done = 0;
            while (done < count)
            {
                var want = Math.Min(scratch.Length / sizeof(float), count - done) * sizeof(float);
                if (Compression.ReadFully(s, scratch.AsSpan(0, want), fileName, "voxel data") < want) throw TruncatedVoxels(fileName);
                var values = MemoryMarshal.Cast<byte, float>(scratch.AsSpan(0, want));
                var bad = VoxelConvert.NarrowFloat32ToBytes(values, dest.Slice(done, values.Length));
                if (bad >= 0)
                    throw new VolumeFormatException(VolumeErrorReason.ValueNotRepresentable, fileName, "voxel data", $"voxel {done + bad} holds {values[bad]:G9}, which is not an integer in 0..255; it cannot be read as uint8");
                done += values.Length;
            }
        }

        VoxelDecoder.EnsureNoTrailingData(s, (long)count * VoxelTypes.SizeOf(info.VoxelType), fileName);
        return true;
    }

    private static VolumeFormatException TruncatedVoxels(string? fileName)
        => new(VolumeErrorReason.TruncatedData, fileName, "voxel data", "ends before all the voxels the header declares; the file is truncated (an interrupted upload or copy?)");

    private static Stream Open(Stream source, string? fileName)
        => Compression.OpenMaybeGzip(source, out _)
           ?? throw new VolumeFormatException(VolumeErrorReason.EmptyFile, fileName, "file", "is empty (0 bytes); expected a NIfTI-1/2 volume (.nii or .nii.gz)");

    private static NiftiHeader ReadFixedHeader(Stream s, string? fileName)
    {
        var buf = new byte[NiftiHeaderCodec.MaxHeaderSize];
        var got = Compression.ReadFully(s, buf.AsSpan(0, 4), fileName, "header");
        if (got == 0)
            throw new VolumeFormatException(VolumeErrorReason.EmptyFile, fileName, "file", "decompresses to 0 bytes; expected a NIfTI-1/2 volume");
        var version = NiftiHeaderCodec.DetectVersion(buf.AsSpan(0, got), fileName);
        var size = version == 2 ? NiftiHeaderCodec.Nifti2Size : NiftiHeaderCodec.Nifti1Size;
        got += Compression.ReadFully(s, buf.AsSpan(4, size - 4), fileName, "header");
        return NiftiHeaderCodec.Parse(buf.AsSpan(0, got), fileName);
    }

    private static VolumeHeaderInfo Describe(NiftiHeader h, string? fileName)
    {
        if (h.Magic is "ni1" or "ni2")
            throw new VolumeFormatException(VolumeErrorReason.UnsupportedFeature, fileName, "magic", $"is \"{h.Magic}\", a .hdr/.img pair; only single-file NIfTI (\"n+1\"/\"n+2\", .nii or .nii.gz) is supported");
        if (!NiftiDataType.TryToVoxelType(h.DataType, out var type))
            throw new VolumeFormatException(VolumeErrorReason.UnsupportedDataType, fileName, "datatype", $"is {NiftiDataType.Describe(h.DataType)}; supported: {NiftiDataType.SupportedList}");
        var shape = NiftiGeometry.ToShape(h, fileName);
        var scaling = NiftiGeometry.ToScaling(h, fileName);
        return new VolumeHeaderInfo(VolumeFormat.Nifti, shape, type, NiftiGeometry.ToGeometry(h), scaling, h);
    }

    private static IReadOnlyList<NiftiExtension> ReadExtensions(Stream s, NiftiHeader h, string? fileName)
    {
        // nibabel raises a too-small vox_offset of a single file to sizeof_hdr + 4.
        var start = h.HeaderSize;
        var offset = Math.Max(h.VoxOffset, start + 4);
        var gap = offset - start;
        if (gap > MaxExtensionBytes)
            throw new VolumeFormatException(VolumeErrorReason.InvalidHeader, fileName, "vox_offset", $"is {h.VoxOffset}, leaving {gap:N0} bytes of extensions; more than {MaxExtensionBytes:N0} is not supported");
        var block = new byte[gap];
        var got = Compression.ReadFully(s, block, fileName, "extensions");
        if (got < gap)
            throw new VolumeFormatException(VolumeErrorReason.TruncatedData, fileName, "vox_offset", $"is {h.VoxOffset} but the file ends at byte {start + got}; the voxel data is missing");
        return NiftiHeaderCodec.ParseExtensions(block, h.WasBigEndian);
    }
}
