using System.Globalization;
using System.IO.Compression;
using System.Text;
using MRISpineSeg.Imaging.Volumes;

namespace MRISpineSeg.Imaging.MetaImage;

/// <summary>
/// Writes MetaImage the way ITK reads it: LPS world (RAS x and y negated), <c>TransformMatrix</c> listing each voxel
/// axis's unit direction in turn, spacing from the affine's column lengths. <c>.mha</c> holds zlib-compressed data after
/// the header; <c>.mhd</c> points at an uncompressed raw file.
/// </summary>
public static class MetaImageWriter
{
    /// <summary>Writes a single-file <c>.mha</c> (compressed).</summary>
    public static void WriteMha(Volume volume, Stream destination, string? fileName)
    {
        ArgumentNullException.ThrowIfNull(volume);
        EnsureNoScaling(volume, fileName);
        using var compressed = new MemoryStream();
        using (var z = new ZLibStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            z.Write(volume.Voxels.AsBytes());
        }

        var header = BuildHeader(volume, compressedSize: compressed.Length, dataFile: "LOCAL");
        destination.Write(header);
        compressed.Position = 0;
        compressed.CopyTo(destination);
    }

    /// <summary>Writes the <c>.mhd</c> header that points at <paramref name="rawFileName"/>.</summary>
    public static void WriteMhdHeader(Volume volume, Stream header, string rawFileName, string? fileName)
    {
        ArgumentNullException.ThrowIfNull(volume);
        EnsureNoScaling(volume, fileName);
        header.Write(BuildHeader(volume, compressedSize: null, dataFile: rawFileName));
    }

    /// <summary>Writes the uncompressed voxels of an <c>.mhd</c> pair.</summary>
    public static void WriteRaw(Volume volume, Stream raw, string? fileName)
    {
        ArgumentNullException.ThrowIfNull(volume);
        EnsureNoScaling(volume, fileName);
        raw.Write(volume.Voxels.AsBytes());
    }

    private static void EnsureNoScaling(Volume v, string? fileName)
    {
        if (!v.Scaling.IsIdentity)
            throw new VolumeFormatException(VolumeErrorReason.UnsupportedFeature, fileName, "scl_slope", $"the volume has slope {v.Scaling.Slope:G9} and intercept {v.Scaling.Intercept:G9}, which MetaImage cannot store; keep NIfTI, or read it as float32 first (spineseg resample/segment do)");
    }

    private static byte[] BuildHeader(Volume v, long? compressedSize, string dataFile)
    {
        var ci = CultureInfo.InvariantCulture;
        var lps = v.Geometry.AffineLps;
        var spacing = new double[3];
        var dir = new double[9];
        for (var j = 0; j < 3; j++)
        {
            spacing[j] = lps.ColumnNorm(j);
            var n = spacing[j] == 0 ? 1 : spacing[j];
            for (var i = 0; i < 3; i++) dir[(j * 3) + i] = lps[i, j] / n;
        }

        string Nums(IEnumerable<double> xs) => string.Join(' ', xs.Select(x => (x + 0.0).ToString("R", ci)));
        var t = lps.Translation;
        var sb = new StringBuilder();
        sb.Append("ObjectType = Image\n");
        sb.Append("NDims = 3\n");
        sb.Append("BinaryData = True\n");
        sb.Append("BinaryDataByteOrderMSB = False\n");
        sb.Append(ci, $"CompressedData = {(compressedSize is null ? "False" : "True")}\n");
        if (compressedSize is not null) sb.Append(ci, $"CompressedDataSize = {compressedSize}\n");
        sb.Append(ci, $"TransformMatrix = {Nums(dir)}\n");
        sb.Append(ci, $"Offset = {Nums([t.X, t.Y, t.Z])}\n");
        sb.Append("CenterOfRotation = 0 0 0\n");
        sb.Append(ci, $"ElementSpacing = {Nums(spacing)}\n");
        sb.Append(ci, $"DimSize = {v.Shape.X} {v.Shape.Y} {v.Shape.Z}\n");
        sb.Append(ci, $"ElementType = {MetaElementType.Name(v.VoxelType)}\n");
        sb.Append(ci, $"ElementDataFile = {dataFile}\n");
        return Encoding.ASCII.GetBytes(sb.ToString());
    }
}
