using MRISpineSeg.Segmentation.Model.UNet3D;
using MRISpineSeg.Segmentation.Model.Weights;

namespace MRISpineSeg.Segmentation.Tests.Model;

/// <summary>
/// Straight-loop reference of PaddleSeg's UNet3D forward pass (docs/design.md §4), in double precision, written from
/// <c>medicalseg/models/unet3d.py</c> independently of the graph builder. A tensor is (C, X, Y, Z), z fastest.
/// </summary>
internal static class NaiveUNet3D
{
    public static float[] Logits(UNet3DArchitecture arch, WeightSet w, float[] input, int nx, int ny, int nz)
    {
        var x = new T(1, nx, ny, nz, input.Select(v => (double)v).ToArray());
        var r1 = Conv(x, w["conv3d_c1_1.weight"]);
        var o = Conv(LRelu(r1), w["conv3d_c1_2.weight"]);
        o = Add(Conv(LRelu(o), w["lrelu_conv_c1.1.weight"]), r1);
        var contexts = new List<T> { LRelu(o) };
        o = LRelu(Norm(o, w, "inorm3d_c1"));
        for (var level = 2; level <= 5; level++)
        {
            var down = Conv(o, w[$"conv3d_c{level}.weight"], 2);
            var b = $"norm_lrelu_conv_c{level}";
            var once = Conv(LRelu(Norm(down, w, b + ".0")), w[b + ".2.weight"]);
            o = Add(Conv(LRelu(Norm(once, w, b + ".0")), w[b + ".2.weight"]), down);
            if (level == 5) break;
            o = LRelu(Norm(o, w, $"inorm3d_c{level}"));
            contexts.Add(o);
        }

        o = Upscale(o, w, "norm_lrelu_upscale_conv_norm_lrelu_l0");
        o = LRelu(Norm(Conv(o, w["conv3d_l0.weight"]), w, "inorm3d_l0"));
        T ds2 = o, ds3 = o;
        for (var level = 1; level <= 4; level++)
        {
            o = Cat(o, contexts[^level]);
            var b = $"conv_norm_lrelu_l{level}";
            o = LRelu(Norm(Conv(o, w[b + ".0.weight"]), w, b + ".1"));
            if (level == 2) ds2 = o;
            if (level == 3) ds3 = o;
            o = Conv(o, w[$"conv3d_l{level}.weight"]);
            if (level < 4) o = Upscale(o, w, $"norm_lrelu_upscale_conv_norm_lrelu_l{level}");
        }

        var ds = Up(Add(Up(Conv(ds2, w["ds2_1x1_conv3d.weight"])), Conv(ds3, w["ds3_1x1_conv3d.weight"])));
        return Add(o, ds).V.Select(v => (float)v).ToArray();
    }

    private static T Upscale(T x, WeightSet w, string b)
        => LRelu(Norm(Conv(Up(LRelu(Norm(x, w, b + ".0"))), w[b + ".3.weight"]), w, b + ".4"));

    private static T Conv(T x, WeightTensor wt, int stride = 1)
    {
        var (co, k) = (wt.Shape[0], wt.Shape[2]);
        var p = k / 2;
        var (ox, oy, oz) = (((x.X + (2 * p) - k) / stride) + 1, ((x.Y + (2 * p) - k) / stride) + 1, ((x.Z + (2 * p) - k) / stride) + 1);
        var y = new T(co, ox, oy, oz);
        for (var o = 0; o < co; o++)
        for (var i = 0; i < x.C; i++)
        for (var a = 0; a < ox; a++)
        for (var b = 0; b < oy; b++)
        for (var c = 0; c < oz; c++)
        {
            double s = 0;
            for (var ka = 0; ka < k; ka++)
            for (var kb = 0; kb < k; kb++)
            for (var kc = 0; kc < k; kc++)
            {
                int xa = (a * stride) + ka - p, xb = (b * stride) + kb - p, xc = (c * stride) + kc - p;
                if (xa < 0 || xb < 0 || xc < 0 || xa >= x.X || xb >= x.Y || xc >= x.Z) continue;
                s += wt.Data[((((((o * x.C) + i) * k) + ka) * k + kb) * k) + kc] * x[i, xa, xb, xc];
            }

            y.V[y.Index(o, a, b, c)] += s;
        }

        return y;
    }

    /// <summary>InstanceNorm: per channel over X·Y·Z, biased variance, eps 1e-5, then scale and bias.</summary>
    private static T Norm(T x, WeightSet w, string key)
    {
        var (scale, bias) = (w[key + ".scale"].Data, w[key + ".bias"].Data);
        var y = new T(x.C, x.X, x.Y, x.Z);
        var n = x.X * x.Y * x.Z;
        for (var c = 0; c < x.C; c++)
        {
            var span = x.V.AsSpan(c * n, n);
            double mean = 0, var = 0;
            foreach (var v in span) mean += v;
            mean /= n;
            foreach (var v in span) var += (v - mean) * (v - mean);
            var /= n;
            var inv = 1 / Math.Sqrt(var + 1e-5);
            for (var i = 0; i < n; i++) y.V[(c * n) + i] = ((span[i] - mean) * inv * scale[c]) + bias[c];
        }

        return y;
    }

    private static T LRelu(T x) => new(x.C, x.X, x.Y, x.Z, x.V.Select(v => v >= 0 ? v : 0.01 * v).ToArray());

    private static T Add(T a, T b) => new(a.C, a.X, a.Y, a.Z, a.V.Zip(b.V, (p, q) => p + q).ToArray());

    private static T Cat(T a, T b) => new(a.C + b.C, a.X, a.Y, a.Z, [.. a.V, .. b.V]);

    /// <summary>×2 trilinear, half-pixel: source = (d + 0.5)/2 − 0.5, below 0 clamped to 0, the upper neighbour clamped to the edge.</summary>
    public static T Up(T x)
    {
        var y = new T(x.C, 2 * x.X, 2 * x.Y, 2 * x.Z);
        for (var c = 0; c < x.C; c++)
        for (var a = 0; a < y.X; a++)
        for (var b = 0; b < y.Y; b++)
        for (var d = 0; d < y.Z; d++)
        {
            var (a0, a1, la) = Source(a, x.X);
            var (b0, b1, lb) = Source(b, x.Y);
            var (d0, d1, ld) = Source(d, x.Z);
            double s = 0;
            foreach (var (ia, wa) in new[] { (a0, 1 - la), (a1, la) })
            foreach (var (ib, wb) in new[] { (b0, 1 - lb), (b1, lb) })
            foreach (var (id, wd) in new[] { (d0, 1 - ld), (d1, ld) })
                s += wa * wb * wd * x[c, ia, ib, id];
            y.V[y.Index(c, a, b, d)] = s;
        }

        return y;
    }

    private static (int I0, int I1, double Lambda) Source(int dst, int n)
    {
        var src = Math.Max(0, ((dst + 0.5) / 2) - 0.5);
        var i0 = (int)src;
        return (i0, Math.Min(i0 + 1, n - 1), src - i0);
    }

    public sealed class T(int c, int x, int y, int z, double[]? v = null)
    {
        public int C { get; } = c;

        public int X { get; } = x;

        public int Y { get; } = y;

        public int Z { get; } = z;

        public double[] V { get; } = v ?? new double[c * x * y * z];

        public double this[int c, int a, int b, int d] => V[Index(c, a, b, d)];

        public int Index(int c, int a, int b, int d) => (((((c * X) + a) * Y) + b) * Z) + d;
    }
}
