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
    NiftiHeader? NiftiHeader);
