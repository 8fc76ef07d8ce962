using MRISpineSeg.Imaging.Resampling;
using MRISpineSeg.Imaging.Volumes;

namespace MRISpineSeg.Segmentation.Preprocessing;

/// <summary>
/// Trilinear resize (scipy zoom order 1, mode='nearest', corner-aligned) fused with the change of memory layout the
/// network needs: the input is x fastest (our volumes), the output is row-major [X, Y, Z], z fastest (Paddle's
/// [N, C, D=x, H=y, W=z] tensor). Doing both in one pass saves a 12.6 MB copy at 512×512×12 and a second sweep.
/// The arithmetic is the imaging library's <c>ScipyZoom.LinearInto</c> term for term (accumulated in double, rounded
/// once to float32), so the two kernels agree bit for bit after a transpose.
/// </summary>
internal static class TransposingZoom
{
    /// <summary>
    /// Resizes <paramref name="input"/> (x fastest, <paramref name="inShape"/>) into <paramref name="output"/>
    /// (row-major [X, Y, Z] of <paramref name="outShape"/>, z fastest). Work is split over output x.
    /// </summary>
    public static void LinearToRowMajor(float[] input, Shape3 inShape, float[] output, Shape3 outShape)
    {
        if (input.Length != inShape.Count) throw new ArgumentException($"Input holds {input.Length} voxels but shape {inShape} needs {inShape.Count}.", nameof(input));
        if (output.Length != outShape.Count) throw new ArgumentException($"Output holds {output.Length} voxels but shape {outShape} needs {outShape.Count}.", nameof(output));
        var ax = ZoomAxis.Create(inShape.X, outShape.X);
        var ay = ZoomAxis.Create(inShape.Y, outShape.Y);
        var az = ZoomAxis.Create(inShape.Z, outShape.Z);
        var sx = inShape.X;
        var sxy = (long)inShape.X * inShape.Y;
        var outY = outShape.Y;
        var outZ = outShape.Z;

        // Per output z: the two slice offsets and weights, hoisted out of the inner loop.
        var zLo = new long[outZ];
        var zHi = new long[outZ];
        for (var z = 0; z < outZ; z++)
        {
            zLo[z] = az.Lo[z] * sxy;
            zHi[z] = az.Hi[z] * sxy;
        }

        Parallel.For(0, outShape.X, x =>
        {
            int x0 = ax.Lo[x], x1 = ax.Hi[x];
            var wx1 = ax.Weight[x];
            var wx0 = 1.0 - wx1;
            var src = input.AsSpan();
            var dst = output.AsSpan((int)((long)x * outY * outZ), outY * outZ);
            for (var y = 0; y < outY; y++)
            {
                var wy1 = ay.Weight[y];
                var wy0 = 1.0 - wy1;
                long yLo = ay.Lo[y] * sx, yHi = ay.Hi[y] * sx;
                var row = dst.Slice(y * outZ, outZ);
                for (var z = 0; z < row.Length; z++)
                {
                    var wz1 = az.Weight[z];
                    var wz0 = 1.0 - wz1;
                    long r00 = zLo[z] + yLo, r01 = zLo[z] + yHi, r10 = zHi[z] + yLo, r11 = zHi[z] + yHi;
                    var v = (wz0 * wy0 * ((wx0 * src[(int)(r00 + x0)]) + (wx1 * src[(int)(r00 + x1)])))
                          + (wz0 * wy1 * ((wx0 * src[(int)(r01 + x0)]) + (wx1 * src[(int)(r01 + x1)])))
                          + (wz1 * wy0 * ((wx0 * src[(int)(r10 + x0)]) + (wx1 * src[(int)(r10 + x1)])))
                          + (wz1 * wy1 * ((wx0 * src[(int)(r11 + x0)]) + (wx1 * src[(int)(r11 + x1)])));
                    row[z] = (float)v;
                }
            }
        });
    }
}
