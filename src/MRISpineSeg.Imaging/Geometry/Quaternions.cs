namespace MRISpineSeg.Imaging.Geometry;

/// <summary>The NIfTI qform quaternion ↔ rotation matrix conversions, following nibabel's <c>quaternions</c> module.</summary>
internal static class Quaternions
{
    /// <summary>
    /// Completes (b, c, d) with a = √(1 − b² − c² − d²). nibabel tolerates a tiny negative argument
    /// (within 3·float32 eps) as 0; a larger one means the header is invalid and also gives a = 0 here,
    /// after renormalising, so a damaged header still yields a rotation rather than NaN.
    /// </summary>
    public static (double A, double B, double C, double D) FillPositive(double b, double c, double d)
    {
        var w2 = 1.0 - ((b * b) + (c * c) + (d * d));
        if (w2 >= 0) return (Math.Sqrt(w2), b, c, d);
        var n = Math.Sqrt((b * b) + (c * c) + (d * d));
        return (0, b / n, c / n, d / n);
    }

    /// <summary>Rotation matrix (row-major 3×3) of quaternion (w, x, y, z); identity for a near-zero quaternion.</summary>
    public static double[] ToMatrix(double w, double x, double y, double z)
    {
        var nq = (w * w) + (x * x) + (y * y) + (z * z);
        if (nq < 2.220446049250313e-16) return [1, 0, 0, 0, 1, 0, 0, 0, 1];
        var s = 2.0 / nq;
        double xs = x * s, ys = y * s, zs = z * s;
        double wx = w * xs, wy = w * ys, wz = w * zs;
        double xx = x * xs, xy = x * ys, xz = x * zs;
        double yy = y * ys, yz = y * zs, zz = z * zs;
        return
        [
            1.0 - (yy + zz), xy - wz, xz + wy,
            xy + wz, 1.0 - (xx + zz), yz - wx,
            xz - wy, yz + wx, 1.0 - (xx + yy),
        ];
    }

    /// <summary>Quaternion (w ≥ 0) of an orthonormal rotation matrix (row-major), by Shepperd's method.</summary>
    public static (double W, double X, double Y, double Z) FromMatrix(ReadOnlySpan<double> r)
    {
        double m00 = r[0], m01 = r[1], m02 = r[2], m10 = r[3], m11 = r[4], m12 = r[5], m20 = r[6], m21 = r[7], m22 = r[8];
        var trace = m00 + m11 + m22;
        double w, x, y, z;
        if (trace > 0)
        {
            var s = Math.Sqrt(trace + 1.0) * 2;
            w = 0.25 * s;
            x = (m21 - m12) / s;
            y = (m02 - m20) / s;
            z = (m10 - m01) / s;
        }
        else if (m00 > m11 && m00 > m22)
        {
            var s = Math.Sqrt(1.0 + m00 - m11 - m22) * 2;
            w = (m21 - m12) / s;
            x = 0.25 * s;
            y = (m01 + m10) / s;
            z = (m02 + m20) / s;
        }
        else if (m11 > m22)
        {
            var s = Math.Sqrt(1.0 + m11 - m00 - m22) * 2;
            w = (m02 - m20) / s;
            x = (m01 + m10) / s;
            y = 0.25 * s;
            z = (m12 + m21) / s;
        }
        else
        {
            var s = Math.Sqrt(1.0 + m22 - m00 - m11) * 2;
            w = (m10 - m01) / s;
            x = (m02 + m20) / s;
            y = (m12 + m21) / s;
            z = 0.25 * s;
        }

        return w < 0 ? (-w, -x, -y, -z) : (w, x, y, z);
    }
}
