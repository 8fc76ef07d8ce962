using MRISpineSeg.Imaging.Geometry;
using MRISpineSeg.Imaging.Nifti;
using MRISpineSeg.Imaging.Volumes;

namespace MRISpineSeg.Imaging;

/// <summary>What a header says about a volume, without its voxels: enough to validate an upload.</summary>
public sealed record VolumeHeaderInfo(
    VolumeFormat Format,
    Shape3 Shape,
    VoxelType VoxelType,
    VolumeGeometry Geometry,
    Scaling Scaling,
    NiftiHeader? NiftiHeader)
{
    /// <summary>
    /// For a single-file NIfTI: how many bytes the file holds uncompressed, from its first byte to the last voxel
    /// (vox_offset, raised to the header size + 4 as nibabel does, plus every voxel at its stored size). An uncompressed
    /// upload shorter than this is truncated. Null for other formats.
    /// </summary>
    public long? UncompressedNiftiBytes => NiftiHeader is { } h
        ? Math.Max(h.VoxOffset, h.HeaderSize + 4) + (Shape.Count * VoxelTypes.SizeOf(VoxelType))
        : null;
}
