using MRISpineSeg.Imaging.IO;

namespace MRISpineSeg.Imaging.Volumes;

/// <summary>Whole-buffer conversions, with scaling applied the way <see cref="IO.VoxelConvert"/> documents.</summary>
public static class VoxelBufferConversions
{
    /// <summary>
    /// A volume's real values as float32, exactly as <c>VolumeIO.Read</c> with <c>ElementType = Float32</c> would give
    /// them (a NIfTI-2 slope is float64, so it scales in double). Returns the voxel array itself when no work is needed.
    /// </summary>
    public static float[] ToFloat32(this Volume volume)
    {
        ArgumentNullException.ThrowIfNull(volume);
        return volume.Voxels.ToFloat32(volume.Scaling, wideSlope: volume.NiftiHeader?.Version == 2);
    }

    /// <summary>The real values as float32 (nibabel's <c>get_fdata(dtype=float32)</c>); <paramref name="wideSlope"/>: the slope is float64 (NIfTI-2).</summary>
    private static float[] ToFloat32(this VoxelBuffer buffer, Scaling scaling, bool wideSlope)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        if (buffer is VoxelBuffer<float> f && scaling.IsIdentity) return f.Data;
        var dst = GC.AllocateUninitializedArray<float>(buffer.Length);
        var inDouble = VoxelConvert.ScalesInDouble(buffer.Type, wideSlope);
        switch (buffer)
        {
            case VoxelBuffer<byte> b: VoxelConvert.ToFloat32<byte>(b.Data, dst, scaling, inDouble); break;
            case VoxelBuffer<sbyte> b: VoxelConvert.ToFloat32<sbyte>(b.Data, dst, scaling, inDouble); break;
            case VoxelBuffer<short> b: VoxelConvert.ToFloat32<short>(b.Data, dst, scaling, inDouble); break;
            case VoxelBuffer<ushort> b: VoxelConvert.ToFloat32<ushort>(b.Data, dst, scaling, inDouble); break;
            case VoxelBuffer<int> b: VoxelConvert.ToFloat32<int>(b.Data, dst, scaling, inDouble); break;
            case VoxelBuffer<uint> b: VoxelConvert.ToFloat32<uint>(b.Data, dst, scaling, inDouble); break;
            case VoxelBuffer<float> b: VoxelConvert.ToFloat32<float>(b.Data, dst, scaling, inDouble); break;
            case VoxelBuffer<double> b: VoxelConvert.ToFloat32<double>(b.Data, dst, scaling, inDouble); break;
        }

        return dst;
    }
}
