using MRISpineSeg.Imaging.Geometry;
using MRISpineSeg.Imaging.Nifti;
using MRISpineSeg.Imaging.Volumes;

namespace MRISpineSeg.Imaging.Resampling;

/// <summary>
/// Resizes volumes with <see cref="ScipyZoom"/> and keeps their world geometry consistent: output voxel k sits where
/// input coordinate k·(n_in − 1)/(n_out − 1) was, so the affine's columns (and pixdim) scale by that factor and the
/// origin stays put.
/// </summary>
public static class Resampler
{
    /// <summary>
    /// Resizes to <paramref name="shape"/>. Order 1 returns float32 real values (scaling applied); order 0 keeps the
    /// element type and the scaling, so labels stay labels.
    /// </summary>
    public static Volume Zoom(Volume volume, Shape3 shape, int order)
    {
        ArgumentNullException.ThrowIfNull(volume);
        if (order is not (0 or 1)) throw new ArgumentOutOfRangeException(nameof(order), order, "Order must be 0 (nearest) or 1 (linear).");
        var fx = ZoomAxis.Factor(volume.Shape.X, shape.X);
        var fy = ZoomAxis.Factor(volume.Shape.Y, shape.Y);
        var fz = ZoomAxis.Factor(volume.Shape.Z, shape.Z);
        var geometry = new VolumeGeometry(
            volume.Geometry.Affine.ScaleColumns(fx, fy, fz),
            volume.Geometry.SpacingX * fx,
            volume.Geometry.SpacingY * fy,
            volume.Geometry.SpacingZ * fz);
        var header = volume.NiftiHeader is null ? null : ScaleHeader(volume.NiftiHeader, fx, fy, fz);

        if (order == 1)
        {
            var input = volume.ToFloat32();
            var output = new float[shape.Count];
            ScipyZoom.LinearInto(input, volume.Shape, output, shape);
            return new Volume(shape, new VoxelBuffer<float>(output), geometry, Scaling.Identity, header);
        }

        return new Volume(shape, NearestBuffer(volume.Voxels, volume.Shape, shape), geometry, volume.Scaling, header);
    }

    /// <summary>
    /// Puts a label volume on another grid by order-0 zoom of the voxel indices, then gives it that grid's exact
    /// geometry (and NIfTI header, as a uint8 mask header when the labels are bytes). Used to bring a prediction made at
    /// the model grid back onto the scan.
    /// </summary>
    public static Volume NearestOnto(Volume labels, Shape3 targetShape, VolumeGeometry targetGeometry, NiftiHeader? targetHeader)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(targetGeometry);
        var buffer = NearestBuffer(labels.Voxels, labels.Shape, targetShape);
        var header = targetHeader is null ? null : buffer.Type == VoxelType.UInt8 && labels.Scaling.IsIdentity ? targetHeader.ForMask() : targetHeader;
        return new Volume(targetShape, buffer, targetGeometry, labels.Scaling, header);
    }

    private static VoxelBuffer NearestBuffer(VoxelBuffer src, Shape3 inShape, Shape3 outShape) => src switch
    {
        VoxelBuffer<byte> b => new VoxelBuffer<byte>(ScipyZoom.Nearest<byte>(b.Data, inShape, outShape)),
        VoxelBuffer<sbyte> b => new VoxelBuffer<sbyte>(ScipyZoom.Nearest<sbyte>(b.Data, inShape, outShape)),
        VoxelBuffer<short> b => new VoxelBuffer<short>(ScipyZoom.Nearest<short>(b.Data, inShape, outShape)),
        VoxelBuffer<ushort> b => new VoxelBuffer<ushort>(ScipyZoom.Nearest<ushort>(b.Data, inShape, outShape)),
        VoxelBuffer<int> b => new VoxelBuffer<int>(ScipyZoom.Nearest<int>(b.Data, inShape, outShape)),
        VoxelBuffer<uint> b => new VoxelBuffer<uint>(ScipyZoom.Nearest<uint>(b.Data, inShape, outShape)),
        VoxelBuffer<float> b => new VoxelBuffer<float>(ScipyZoom.Nearest<float>(b.Data, inShape, outShape)),
        VoxelBuffer<double> b => new VoxelBuffer<double>(ScipyZoom.Nearest<double>(b.Data, inShape, outShape)),
        _ => throw new NotSupportedException(src.Type.ToString()),
    };

    private static NiftiHeader ScaleHeader(NiftiHeader h, double fx, double fy, double fz)
    {
        var pixdim = (double[])h.Pixdim.Clone();
        pixdim[1] *= fx;
        pixdim[2] *= fy;
        pixdim[3] *= fz;
        return h with
        {
            Pixdim = pixdim,
            SrowX = [h.SrowX[0] * fx, h.SrowX[1] * fy, h.SrowX[2] * fz, h.SrowX[3]],
            SrowY = [h.SrowY[0] * fx, h.SrowY[1] * fy, h.SrowY[2] * fz, h.SrowY[3]],
            SrowZ = [h.SrowZ[0] * fx, h.SrowZ[1] * fy, h.SrowZ[2] * fz, h.SrowZ[3]],
        };
    }
}
