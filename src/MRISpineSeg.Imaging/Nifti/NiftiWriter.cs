using System.IO.Compression;
using MRISpineSeg.Imaging.Volumes;

namespace MRISpineSeg.Imaging.Nifti;

/// <summary>
/// Writes a volume as single-file NIfTI, little-endian, gzip-compressed when asked (<c>.nii.gz</c>).
/// A volume read from NIfTI is written with its own header, so every geometry field survives; only datatype,
/// bitpix, the x/y/z extents, vox_offset and (if the volume's scaling changed) scl_slope/scl_inter are updated.
/// </summary>
public static class NiftiWriter
{
    public static void Write(Volume volume, Stream destination, bool gzip)
    {
        ArgumentNullException.ThrowIfNull(volume);
        ArgumentNullException.ThrowIfNull(destination);
        var header = HeaderFor(volume);
        var bytes = NiftiHeaderCodec.Serialize(header);
        if (gzip)
        {
            using var z = new GZipStream(destination, CompressionLevel.Fastest, leaveOpen: true);
            z.Write(bytes);
            z.Write(volume.Voxels.AsBytes());
        }
        else
        {
            destination.Write(bytes);
            destination.Write(volume.Voxels.AsBytes());
        }
    }

    /// <summary>The header that <see cref="Write"/> will store for this volume.</summary>
    public static NiftiHeader HeaderFor(Volume volume)
    {
        var type = volume.VoxelType;
        if (volume.NiftiHeader is null)
            return NiftiGeometry.CreateHeader(volume.Shape, type, volume.Geometry, volume.Scaling);

        var h = volume.NiftiHeader;
        var dim = (long[])h.Dim.Clone();
        dim[1] = volume.Shape.X;
        dim[2] = volume.Shape.Y;
        dim[3] = volume.Shape.Z;
        if (dim[0] < 3) dim[0] = 3;

        // Keep the stored scl fields (NaN, 0, ...) when they already mean the volume's scaling.
        var stored = NiftiGeometry.ToScaling(h, null);
        var (slope, inter) = stored == volume.Scaling ? (h.SclSlope, h.SclInter) : (volume.Scaling.Slope, volume.Scaling.Intercept);
        if (h.Version == 1 && dim.Any(d => d > short.MaxValue))
            h = h with { Version = 2, Magic = "n+2" };

        return h with
        {
            Magic = h.Version == 2 ? "n+2" : "n+1",
            DataType = NiftiDataType.FromVoxelType(type),
            BitPix = (short)(VoxelTypes.SizeOf(type) * 8),
            Dim = dim,
            SclSlope = slope,
            SclInter = inter,
            WasBigEndian = false,
        };
    }
}
