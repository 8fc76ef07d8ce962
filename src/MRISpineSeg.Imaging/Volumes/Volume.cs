using MRISpineSeg.Imaging.Geometry;
using MRISpineSeg.Imaging.Nifti;

namespace MRISpineSeg.Imaging.Volumes;

/// <summary>
/// A 3-D image: a typed voxel buffer (x fastest, NIfTI order, see <see cref="VoxelBuffer"/>), its grid
/// (<see cref="Shape"/>), where that grid sits in RAS world space (<see cref="Geometry"/>) and how stored values map to
/// real values (<see cref="Scaling"/>).
/// <para>
/// When the volume came from NIfTI, <see cref="NiftiHeader"/> keeps every header field as read, so that writing it back
/// keeps dims, pixdim, qform and sform with their codes, xyzt_units, descrip and extensions.
/// </para>
/// </summary>
public sealed class Volume
{
    public Volume(Shape3 shape, VoxelBuffer voxels, VolumeGeometry geometry, Scaling? scaling = null, NiftiHeader? niftiHeader = null)
    {
        ArgumentNullException.ThrowIfNull(voxels);
        ArgumentNullException.ThrowIfNull(geometry);
        if (shape.X <= 0 || shape.Y <= 0 || shape.Z <= 0)
            throw new ArgumentOutOfRangeException(nameof(shape), shape, "Every extent must be positive.");
        if (voxels.Length != shape.Count)
            throw new ArgumentException($"Buffer holds {voxels.Length} voxels but shape {shape} needs {shape.Count}.", nameof(voxels));
        Shape = shape;
        Voxels = voxels;
        Geometry = geometry;
        Scaling = scaling ?? Scaling.Identity;
        NiftiHeader = niftiHeader;
    }

    public Shape3 Shape { get; }

    public VoxelBuffer Voxels { get; }

    public VolumeGeometry Geometry { get; }

    public Scaling Scaling { get; }

    /// <summary>The NIfTI header this volume was read from (or derived from), else null.</summary>
    public NiftiHeader? NiftiHeader { get; }

    public VoxelType VoxelType => Voxels.Type;

    /// <summary>
    /// A label mask on exactly this volume's grid: same shape and geometry, and when this volume is NIfTI, the same header
    /// (dims, pixdim, qform/sform and codes, xyzt_units) with datatype uint8, slope 1 and intercept 0 (docs/design.md §3).
    /// </summary>
    public Volume CreateMask(byte[] labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var header = NiftiHeader?.ForMask();
        return new Volume(Shape, new VoxelBuffer<byte>(labels), Geometry, Scaling.Identity, header);
    }
}
