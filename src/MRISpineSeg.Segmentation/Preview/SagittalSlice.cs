using MRISpineSeg.Imaging.Geometry;
using MRISpineSeg.Imaging.Volumes;

namespace MRISpineSeg.Segmentation.Preview;

/// <summary>
/// One slice of NIfTI axis 2 (the sagittal axis in MRSpineSeg files) of a scan and its mask, x fastest:
/// pixel (i, j) is at <c>i + X·j</c>. <see cref="Image"/> holds real intensities (slope applied), <see cref="Mask"/> labels.
/// </summary>
public sealed record SagittalSlice(float[] Image, byte[] Mask, Shape3 Shape, int SliceIndex, Affine Affine)
{
    /// <summary>The slice index a preview shows: the middle one, <c>Z / 2</c>.</summary>
    public static int MiddleIndex(Shape3 shape) => shape.Z / 2;

    /// <summary>Copies slice <paramref name="z"/> out of an x-fastest volume buffer.</summary>
    public static T[] Extract<T>(ReadOnlySpan<T> volume, Shape3 shape, int z)
        where T : unmanaged
    {
        if (volume.Length != shape.Count) throw new ArgumentException($"Buffer holds {volume.Length} voxels but shape {shape} needs {shape.Count}.", nameof(volume));
        if ((uint)z >= (uint)shape.Z) throw new ArgumentOutOfRangeException(nameof(z), z, $"Slice must be in 0..{shape.Z - 1}.");
        var n = shape.X * shape.Y;
        return volume.Slice(z * n, n).ToArray();
    }
}
