using MRISpineSeg.Imaging.Volumes;

namespace MRISpineSeg.Imaging.Resampling;

/// <summary>
/// Voxel kernels equal to <c>scipy.ndimage.zoom(img, new/old, order=o, mode='nearest')</c> as PaddleSeg calls it
/// (docs/design.md §4): corner-aligned, edge-replicated. Order 1 is trilinear, accumulated in double and rounded once to float32
/// (scipy keeps the float32 input type); order 0 copies the nearest sample, so labels stay exact.
/// Buffers are x fastest. Work is split over output z-slices.
/// </summary>
public static class ScipyZoom
{
    /// <summary>Trilinear (order 1) resize of a float32 grid.</summary>
    public static float[] Linear(float[] input, Shape3 inShape, Shape3 outShape)
    {
        var output = GC.AllocateUninitializedArray<float>(checked((int)outShape.Count));
        LinearInto(input, inShape, output, outShape);
        return output;
    }

    /// <summary>Trilinear (order 1) resize into a caller-owned buffer of <c>outShape.Count</c> floats.</summary>
    public static void LinearInto(float[] input, Shape3 inShape, float[] output, Shape3 outShape)
    {
        CheckLength(input.Length, inShape);
        CheckLength(output.Length, outShape);
        var ax = ZoomAxis.Create(inShape.X, outShape.X);
        var ay = ZoomAxis.Create(inShape.Y, outShape.Y);
        var az = ZoomAxis.Create(inShape.Z, outShape.Z);
        var sx = inShape.X;
        var sxy = (long)inShape.X * inShape.Y;
        Parallel.For(0, outShape.Z, z =>
        {
            var wz1 = az.Weight[z];
            var wz0 = 1.0 - wz1;
            var z0 = az.Lo[z] * sxy;
            var z1 = az.Hi[z] * sxy;
            for (var y = 0; y < outShape.Y; y++)
            {
                var wy1 = ay.Weight[y];
                var wy0 = 1.0 - wy1;
                var r00 = z0 + (ay.Lo[y] * sx);
                var r01 = z0 + (ay.Hi[y] * sx);
                var r10 = z1 + (ay.Lo[y] * sx);
                var r11 = z1 + (ay.Hi[y] * sx);
                var w00 = wz0 * wy0;
                var w01 = wz0 * wy1;
                var w10 = wz1 * wy0;
                var w11 = wz1 * wy1;
                var o = ((long)z * outShape.Y * outShape.X) + ((long)y * outShape.X);
                for (var x = 0; x < outShape.X; x++)
                {
                    var x0 = ax.Lo[x];
                    var x1 = ax.Hi[x];
                    var wx1 = ax.Weight[x];
                    var wx0 = 1.0 - wx1;
                    var v = (w00 * ((wx0 * input[r00 + x0]) + (wx1 * input[r00 + x1])))
                          + (w01 * ((wx0 * input[r01 + x0]) + (wx1 * input[r01 + x1])))
                          + (w10 * ((wx0 * input[r10 + x0]) + (wx1 * input[r10 + x1])))
                          + (w11 * ((wx0 * input[r11 + x0]) + (wx1 * input[r11 + x1])));
                    output[o + x] = (float)v;
                }
            }
        });
    }

    /// <summary>Nearest (order 0) resize of any element type; values are copied, never blended.</summary>
    public static T[] Nearest<T>(T[] input, Shape3 inShape, Shape3 outShape)
        where T : unmanaged
    {
        var output = GC.AllocateUninitializedArray<T>(checked((int)outShape.Count));
        NearestInto(input, inShape, output, outShape);
        return output;
    }

    /// <summary>Nearest (order 0) resize into a caller-owned buffer.</summary>
    public static void NearestInto<T>(T[] input, Shape3 inShape, T[] output, Shape3 outShape)
        where T : unmanaged
    {
        CheckLength(input.Length, inShape);
        CheckLength(output.Length, outShape);
        var ax = ZoomAxis.Create(inShape.X, outShape.X).Nearest;
        var ay = ZoomAxis.Create(inShape.Y, outShape.Y).Nearest;
        var az = ZoomAxis.Create(inShape.Z, outShape.Z).Nearest;
        var sx = inShape.X;
        var sxy = (long)inShape.X * inShape.Y;
        Parallel.For(0, outShape.Z, z =>
        {
            var zo = az[z] * sxy;
            for (var y = 0; y < outShape.Y; y++)
            {
                var row = zo + (ay[y] * sx);
                var o = ((long)z * outShape.Y * outShape.X) + ((long)y * outShape.X);
                for (var x = 0; x < outShape.X; x++) output[o + x] = input[row + ax[x]];
            }
        });
    }

    private static void CheckLength(int length, Shape3 shape)
    {
        if (length != shape.Count)
            throw new ArgumentException($"Buffer holds {length} voxels but shape {shape} needs {shape.Count}.");
    }
}
