using System.Globalization;
using System.IO.Compression;
using MRISpineSeg.Imaging.Geometry;
using MRISpineSeg.Imaging.IO;
using MRISpineSeg.Imaging.Volumes;

namespace MRISpineSeg.Imaging.MetaImage;

/// <summary>
/// Reads MetaImage: <c>.mha</c> (data after the header, <c>ElementDataFile = LOCAL</c>) and <c>.mhd</c> with a separate
/// raw file in the same folder. Geometry is converted from ITK's LPS to RAS (docs/design.md §3): world x and y are negated.
/// <c>TransformMatrix</c> lists the direction of voxel axis 0 first, then axis 1, then axis 2, as ITK writes it.
/// </summary>
public static class MetaImageReader
{
    /// <summary>Reads a volume. <paramref name="openDataFile"/> opens a sibling data file by plain name (for .mhd); null forbids it.</summary>
    public static Volume Read(Stream source, string? fileName, Func<string, Stream>? openDataFile, VolumeReadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        options ??= VolumeReadOptions.Default;
        var header = MetaImageHeader.Parse(source, fileName);
        var info = Describe(header, fileName);
        var target = options.ElementType ?? info.VoxelType;
        var count = info.Shape.Count;
        var decoded = count * VoxelTypes.SizeOf(target);
        if (decoded > options.MaxVoxelBytes || count > Array.MaxLength)
            throw new VolumeFormatException(VolumeErrorReason.TooLarge, fileName, "DimSize", $"{info.Shape} voxels as {VoxelTypes.Name(target)} need {decoded:N0} bytes, above the limit of {options.MaxVoxelBytes:N0} bytes");

        var dataFile = header.Get("ElementDataFile")!;
        Stream? owned = null;
        Stream data;
        if (dataFile.Equals("LOCAL", StringComparison.OrdinalIgnoreCase))
        {
            data = source;
        }
        else
        {
            if (dataFile.Equals("LIST", StringComparison.OrdinalIgnoreCase) || dataFile.Contains('%') || dataFile.Contains(' '))
                throw new VolumeFormatException(VolumeErrorReason.UnsupportedFeature, fileName, "ElementDataFile", $"is \"{dataFile}\" (a slice list or pattern); only LOCAL or a single raw file is supported");
            if (openDataFile is null || dataFile != Path.GetFileName(dataFile) || dataFile is "." or "..")
                throw new VolumeFormatException(VolumeErrorReason.UnsupportedFeature, fileName, "ElementDataFile", $"is \"{dataFile}\"; the raw data must be a plain file name in the same folder as the .mhd");
            owned = openDataFile(dataFile);
            data = owned;
            SkipHeaderSize(header, data, fileName);
        }

        try
        {
            var storedBytes = count * VoxelTypes.SizeOf(info.VoxelType);
            Stream payload = data;
            ZLibStream? z = null;
            if (MetaImageHeader.IsTrue(header.Get("CompressedData")))
            {
                z = new ZLibStream(data, CompressionMode.Decompress, leaveOpen: true);
                payload = z;
            }

            using (z)
            {
                var msb = MetaImageHeader.IsTrue(header.GetAny("BinaryDataByteOrderMSB", "ElementByteOrderMSB"));
                var request = new VoxelDecoder.Request(info.VoxelType, msb, (int)count, target, Scaling.Identity, ScaleInDouble: false, fileName);
                var voxels = VoxelDecoder.Decode(payload, request);
                VoxelDecoder.EnsureNoTrailingData(payload, storedBytes, fileName);
                return new Volume(info.Shape, voxels, info.Geometry);
            }
        }
        finally
        {
            owned?.Dispose();
        }
    }

    /// <summary>Reads only the header of a MetaImage stream.</summary>
    public static VolumeHeaderInfo ReadHeader(Stream source, string? fileName)
        => Describe(MetaImageHeader.Parse(source, fileName), fileName);

    private static VolumeHeaderInfo Describe(MetaImageHeader h, string? fileName)
    {
        var objectType = h.Get("ObjectType");
        if (objectType is not null && !objectType.Equals("Image", StringComparison.OrdinalIgnoreCase))
            throw new VolumeFormatException(VolumeErrorReason.UnsupportedFeature, fileName, "ObjectType", $"is \"{objectType}\"; only Image is supported");
        var ndimsText = h.Get("NDims");
        if (!int.TryParse(ndimsText, NumberStyles.None, CultureInfo.InvariantCulture, out var ndims) || ndims is < 2 or > 4)
            throw new VolumeFormatException(VolumeErrorReason.InvalidHeader, fileName, "NDims", $"is \"{ndimsText}\"; it must be 2, 3 or 4 (with a 4th extent of 1)");
        var channels = h.Get("ElementNumberOfChannels");
        if (channels is not null && channels != "1")
            throw new VolumeFormatException(VolumeErrorReason.UnsupportedDimensions, fileName, "ElementNumberOfChannels", $"is {channels}; only scalar images (1 channel) are supported");
        if (h.Get("BinaryData") is { } binary && !MetaImageHeader.IsTrue(binary))
            throw new VolumeFormatException(VolumeErrorReason.UnsupportedFeature, fileName, "BinaryData", "is False (ASCII voxels); only binary data is supported");
        if (!MetaElementType.TryParse(h.Get("ElementType"), out var type))
            throw new VolumeFormatException(VolumeErrorReason.UnsupportedDataType, fileName, "ElementType", $"is \"{h.Get("ElementType")}\"; supported: {MetaElementType.SupportedList}");

        var dims = MetaImageHeader.Numbers(h.Get("DimSize"), ndims, fileName, "DimSize");
        for (var i = 0; i < ndims; i++)
        {
            if (dims[i] < 1 || dims[i] != Math.Floor(dims[i]) || dims[i] > int.MaxValue)
                throw new VolumeFormatException(VolumeErrorReason.InvalidHeader, fileName, $"DimSize[{i}]", $"is {dims[i]}; every extent must be a whole number ≥ 1");
        }

        if (ndims == 4 && dims[3] != 1)
            throw new VolumeFormatException(VolumeErrorReason.UnsupportedDimensions, fileName, "DimSize[3]", $"a 4-D series with t = {dims[3]}; only single 3-D volumes are supported");
        var shape = new Shape3((int)dims[0], (int)dims[1], ndims >= 3 ? (int)dims[2] : 1);

        var n = Math.Min(ndims, 3);
        var spacing = Pad(MetaImageHeader.Numbers(h.GetAny("ElementSpacing", "ElementSize") ?? string.Join(' ', Enumerable.Repeat("1", n)), n, fileName, "ElementSpacing"), 1.0);
        var origin = Pad(MetaImageHeader.Numbers(h.GetAny("Offset", "Origin", "Position") ?? string.Join(' ', Enumerable.Repeat("0", n)), n, fileName, "Offset"), 0.0);
        var matrixText = h.GetAny("TransformMatrix", "Rotation", "Orientation");
        var dir = new double[9] { 1, 0, 0, 0, 1, 0, 0, 0, 1 };
        if (matrixText is not null)
        {
            var m = MetaImageHeader.Numbers(matrixText, n * n, fileName, "TransformMatrix");
            for (var axis = 0; axis < n; axis++)
            {
                for (var k = 0; k < n; k++) dir[(k * 3) + axis] = m[(axis * n) + k];
            }
        }

        var lps = Affine.FromRows(
            dir[0] * spacing[0], dir[1] * spacing[1], dir[2] * spacing[2], origin[0],
            dir[3] * spacing[0], dir[4] * spacing[1], dir[5] * spacing[2], origin[1],
            dir[6] * spacing[0], dir[7] * spacing[1], dir[8] * spacing[2], origin[2]);
        var geometry = new VolumeGeometry(lps.FlipXY(), spacing[0], spacing[1], spacing[2]);
        return new VolumeHeaderInfo(VolumeFormat.MetaImage, shape, type, geometry, Scaling.Identity, null);
    }

    private static void SkipHeaderSize(MetaImageHeader h, Stream data, string? fileName)
    {
        var text = h.Get("HeaderSize");
        if (text is null) return;
        if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var skip) || skip < -1)
            throw new VolumeFormatException(VolumeErrorReason.InvalidHeader, fileName, "HeaderSize", $"is \"{text}\"; it must be -1 or a byte count ≥ 0");
        if (skip == -1)
            throw new VolumeFormatException(VolumeErrorReason.UnsupportedFeature, fileName, "HeaderSize", "is -1 (data at the end of the file); give the byte count instead");
        Span<byte> buf = stackalloc byte[4096];
        while (skip > 0)
        {
            var got = data.Read(buf[..(int)Math.Min(buf.Length, skip)]);
            if (got == 0)
                throw new VolumeFormatException(VolumeErrorReason.TruncatedData, fileName, "HeaderSize", "the raw file is shorter than its declared header");
            skip -= got;
        }
    }

    private static double[] Pad(double[] v, double fill) => v.Length >= 3 ? v : [.. v, .. Enumerable.Repeat(fill, 3 - v.Length)];
}
