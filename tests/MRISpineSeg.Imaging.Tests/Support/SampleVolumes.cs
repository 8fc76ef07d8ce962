using System.IO.Compression;
using MRISpineSeg.Imaging.Geometry;
using MRISpineSeg.Imaging.Nifti;
using MRISpineSeg.Imaging.Volumes;

namespace MRISpineSeg.Imaging.Tests.Support;

/// <summary>Small volumes and their NIfTI bytes, for tests that need to damage a valid file.</summary>
internal static class SampleVolumes
{
    public static Volume Int16(int x = 6, int y = 5, int z = 4)
    {
        var data = new short[x * y * z];
        for (var i = 0; i < data.Length; i++) data[i] = (short)((i * 37) % 1000);
        var affine = Affine.FromRows(0, 0, 4.4, -20, -0.6, 0, 0, 30, 0, 0.6, 0, -10);
        return new Volume(new Shape3(x, y, z), new VoxelBuffer<short>(data), new VolumeGeometry(affine, 0.6, 0.6, 4.4));
    }

    public static byte[] NiftiBytes(Volume v)
    {
        using var ms = new MemoryStream();
        NiftiWriter.Write(v, ms, gzip: false);
        return ms.ToArray();
    }

    public static byte[] Gzip(ReadOnlySpan<byte> bytes)
    {
        using var ms = new MemoryStream();
        using (var z = new GZipStream(ms, CompressionLevel.Fastest, leaveOpen: true))
        {
            z.Write(bytes);
        }

        return ms.ToArray();
    }

    public static Volume Read(byte[] bytes, VolumeReadOptions? options = null)
        => NiftiReader.Read(new MemoryStream(bytes), "sample.nii", options);
}
