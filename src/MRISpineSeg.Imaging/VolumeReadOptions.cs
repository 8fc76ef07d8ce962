using MRISpineSeg.Imaging.Volumes;

namespace MRISpineSeg.Imaging;

/// <summary>How to decode voxels.</summary>
public sealed class VolumeReadOptions
{
    /// <summary>2 GiB: the default ceiling on decoded voxel bytes.</summary>
    public const long DefaultMaxVoxelBytes = 2L << 30;

    public static VolumeReadOptions Default { get; } = new();

    /// <summary>
    /// Decode straight into this element type with the scaling applied (e.g. <see cref="VoxelType.Float32"/> gives
    /// nibabel's <c>get_fdata(dtype=float32)</c>; <see cref="VoxelType.UInt8"/> decodes a label mask into bytes and fails on
    /// any value that is not an exact uint8). Null keeps the stored type and leaves the scaling on the volume, which is
    /// what a lossless conversion needs.
    /// </summary>
    public VoxelType? ElementType { get; init; }

    /// <summary>Refuse, before allocating, any volume whose decoded voxels would need more bytes than this.</summary>
    public long MaxVoxelBytes { get; init; } = DefaultMaxVoxelBytes;
}
