using System.Buffers.Binary;
using MRISpineSeg.Imaging;
using MRISpineSeg.Imaging.Geometry;
using MRISpineSeg.Imaging.Volumes;

namespace MRISpineSeg.EndToEnd.Tests.Support;

/// <summary>Real volume files (written by the Imaging library) and the bad uploads users send.</summary>
public static class TestVolumes
{
    public static readonly Shape3 Shape = new(24, 20, 6);

    /// <summary>An int16 scan of <see cref="Shape"/> at 0.6×0.6×4.4 mm with a bright box in the middle.</summary>
    public static Volume Scan()
    {
        var data = new short[Shape.Count];
        for (var z = 1; z < Shape.Z - 1; z++)
        for (var y = 5; y < 15; y++)
        for (var x = 6; x < 18; x++)
            data[Shape.Index(x, y, z)] = 1200;
        return new Volume(Shape, new VoxelBuffer<short>(data), VolumeGeometry.FromSpacing(0.6, 0.6, 4.4, -10, 20, 5));
    }

    public static byte[] Bytes(Volume v, string fileName)
    {
        using var ms = new MemoryStream();
        VolumeIO.Write(v, ms, fileName);
        return ms.ToArray();
    }

    public static byte[] ScanNiiGz() => Bytes(Scan(), "scan.nii.gz");

    public static byte[] ScanNii() => Bytes(Scan(), "scan.nii");

    /// <summary>An uncompressed NIfTI cut short: the header declares more voxels than the file has.</summary>
    public static byte[] TruncatedNii()
    {
        var full = ScanNii();
        return full[..(full.Length - 500)];
    }

    /// <summary>
    /// An uncompressed NIfTI whose sform (code 1, which wins over the qform) has a zero column: voxel axis 1 has no
    /// direction, so the affine has no orientation. NIfTI-1 offsets: sform_code 254, srow_x/y/z 280/296/312.
    /// </summary>
    public static byte[] ZeroAxisSformNii()
    {
        var bytes = ScanNii();
        BitConverter.TryWriteBytes(bytes.AsSpan(254, 2), (short)1);
        float[] rows = [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 0];
        for (var i = 0; i < rows.Length; i++) BitConverter.TryWriteBytes(bytes.AsSpan(280 + (4 * i), 4), rows[i]);
        return bytes;
    }

    /// <summary>
    /// An uncompressed NIfTI with a valid sform (which wins, so the affine is fine) but voxel size pixdim[3] set to
    /// <paramref name="sliceThickness"/> (0, NaN, negative: issue 13 F9). NIfTI-1 offsets: pixdim[3] at 88.
    /// </summary>
    public static byte[] BadPixdimNii(float sliceThickness)
    {
        var bytes = ScanNii();
        BitConverter.TryWriteBytes(bytes.AsSpan(254, 2), (short)1);
        float[] rows = [0.6f, 0, 0, 0, 0, 0.6f, 0, 0, 0, 0, 4.4f, 0];
        for (var i = 0; i < rows.Length; i++) BitConverter.TryWriteBytes(bytes.AsSpan(280 + (4 * i), 4), rows[i]);
        BitConverter.TryWriteBytes(bytes.AsSpan(88, 4), sliceThickness);
        return bytes;
    }

    /// <summary>An uncompressed NIfTI header declaring 4096x4096x8 (128 Mi voxels, over the default MaxScanVoxels) with the small scan's bytes behind it.</summary>
    public static byte[] HugeGridNii()
    {
        var bytes = ScanNii();
        BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(42), 4096);
        BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(44), 4096);
        BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(46), 8);
        return bytes;
    }

    /// <summary>A gzip NIfTI cut short: the header reads fine, the voxels do not (only a full read finds it).</summary>
    public static byte[] TruncatedNiiGz()
    {
        var full = ScanNiiGz();
        return full[..(full.Length * 2 / 3)];
    }

    /// <summary>A 4-D NIfTI (dim[0] = 4, two time points).</summary>
    public static byte[] FourDNii()
    {
        var b = ScanNii();
        var withTime = new byte[b.Length + (int)(Shape.Count * 2)];
        b.CopyTo(withTime, 0);
        BinaryPrimitives.WriteInt16LittleEndian(withTime.AsSpan(40), 4);
        BinaryPrimitives.WriteInt16LittleEndian(withTime.AsSpan(48), 2);
        return withTime;
    }

    public static byte[] NotAVolume() => "this is a radiology report, not an image\n"u8.ToArray();
}
