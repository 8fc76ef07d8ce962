using MRISpineSeg.Segmentation.Model.VNet;
using MRISpineSeg.Segmentation.Model.Weights;

namespace MRISpineSeg.Segmentation.Tests.Model;

/// <summary>
/// A deliberately plain forward pass of PaddleSeg's VNet: nested loops, double accumulation, no ONNX, no shared code
/// with the graph builder beyond the architecture constants. Tensors are [C, X, Y, Z] row-major (batch 1).
/// </summary>
internal static class NaiveVNet
{
    internal sealed record T(int C, int X, int Y, int Z, float[] D)
    {
        public int Idx(int c, int x, int y, int z) => (((c * X) + x) * Y + y) * Z + z;
    }

    public static float[] Logits(VNetArchitecture a, WeightSet w, float[] input, int gx, int gy, int gz)
    {
        var x = new T(1, gx, gy, gz, input);
        var conv = Conv(x, w, "in_tr.conv1", [1, 1, 1], 2);
        var bn = Norm(conv, w, "in_tr.bn1");
        var tiled = new T(a.Width, gx, gy, gz, new float[a.Width * input.Length]);
        for (var c = 0; c < a.Width; c++) Array.Copy(input, 0, tiled.D, c * input.Length, input.Length);
        var cur = Act(a, Add(bn, tiled), w, "in_tr.relu1");
        var skips = new List<T> { cur };
        foreach (var d in a.DownBlocks)
        {
            var down = Act(a, Norm(Conv(cur, w, d.Name + ".down_conv", d.Stride, 0), w, d.Name + ".bn1"), w, d.Name + ".relu1");
            var o = down;
            for (var i = 0; i < d.ConvCount; i++) o = LuConv(a, o, w, $"{d.Name}.ops.{i}");
            cur = Act(a, Add(o, down), w, d.Name + ".relu2");
            skips.Add(cur);
        }

        for (var u = 0; u < a.UpBlocks.Count; u++)
        {
            var b = a.UpBlocks[u];
            var up = Act(a, Norm(ConvT(cur, w, b.Name + ".up_conv", b.Stride), w, b.Name + ".bn1"), w, b.Name + ".relu1");
            var cat = Concat(up, skips[skips.Count - 2 - u]);
            var o = cat;
            for (var i = 0; i < b.ConvCount; i++) o = LuConv(a, o, w, $"{b.Name}.ops.{i}");
            cur = Act(a, Add(o, cat), w, b.Name + ".relu2");
        }

        cur = Act(a, Norm(Conv(cur, w, "out_tr.conv1", [1, 1, 1], 2), w, "out_tr.bn1"), w, "out_tr.relu1");
        return Conv(cur, w, "out_tr.conv2", [1, 1, 1], 0).D;
    }

    public static byte[] ArgMax(float[] logits, int classes)
    {
        var n = logits.Length / classes;
        var labels = new byte[n];
        for (var i = 0; i < n; i++)
        {
            var best = 0;
            for (var c = 1; c < classes; c++)
            {
                if (logits[(c * n) + i] > logits[(best * n) + i]) best = c;
            }

            labels[i] = (byte)best;
        }

        return labels;
    }

    private static T LuConv(VNetArchitecture a, T x, WeightSet w, string p)
        => Act(a, Norm(Conv(x, w, p + ".conv1", [1, 1, 1], 2), w, p + ".bn1"), w, p + ".relu1");

    private static T Conv(T x, WeightSet ws, string name, int[] s, int p)
    {
        var wt = ws[name + ".weight"];
        var bias = ws[name + ".bias"].Data;
        int co = wt.Shape[0], ci = wt.Shape[1], kx = wt.Shape[2], ky = wt.Shape[3], kz = wt.Shape[4];
        var o = new T(co, ((x.X + (2 * p) - kx) / s[0]) + 1, ((x.Y + (2 * p) - ky) / s[1]) + 1, ((x.Z + (2 * p) - kz) / s[2]) + 1, []);
        o = o with { D = new float[co * o.X * o.Y * o.Z] };
        for (var c = 0; c < co; c++)
        for (var ox = 0; ox < o.X; ox++)
        for (var oy = 0; oy < o.Y; oy++)
        for (var oz = 0; oz < o.Z; oz++)
        {
            double sum = bias[c];
            for (var k = 0; k < ci; k++)
            for (var i = 0; i < kx; i++)
            {
                var ix = (ox * s[0]) - p + i;
                if (ix < 0 || ix >= x.X) continue;
                for (var j = 0; j < ky; j++)
                {
                    var iy = (oy * s[1]) - p + j;
                    if (iy < 0 || iy >= x.Y) continue;
                    for (var l = 0; l < kz; l++)
                    {
                        var iz = (oz * s[2]) - p + l;
                        if (iz < 0 || iz >= x.Z) continue;
                        sum += (double)wt.Data[(((((c * ci) + k) * kx + i) * ky + j) * kz) + l] * x.D[x.Idx(k, ix, iy, iz)];
                    }
                }
            }

            o.D[o.Idx(c, ox, oy, oz)] = (float)sum;
        }

        return o;
    }

    private static T ConvT(T x, WeightSet ws, string name, int[] s)
    {
        var wt = ws[name + ".weight"];
        var bias = ws[name + ".bias"].Data;
        int ci = wt.Shape[0], co = wt.Shape[1], kx = wt.Shape[2], ky = wt.Shape[3], kz = wt.Shape[4];
        int ox = ((x.X - 1) * s[0]) + kx, oy = ((x.Y - 1) * s[1]) + ky, oz = ((x.Z - 1) * s[2]) + kz;
        var acc = new double[co * ox * oy * oz];
        var o = new T(co, ox, oy, oz, new float[acc.Length]);
        for (var k = 0; k < ci; k++)
        for (var ix = 0; ix < x.X; ix++)
        for (var iy = 0; iy < x.Y; iy++)
        for (var iz = 0; iz < x.Z; iz++)
        {
            double v = x.D[x.Idx(k, ix, iy, iz)];
            for (var c = 0; c < co; c++)
            for (var i = 0; i < kx; i++)
            for (var j = 0; j < ky; j++)
            for (var l = 0; l < kz; l++)
                acc[o.Idx(c, (ix * s[0]) + i, (iy * s[1]) + j, (iz * s[2]) + l)] += v * wt.Data[(((((k * co) + c) * kx + i) * ky + j) * kz) + l];
        }

        var n = ox * oy * oz;
        for (var i = 0; i < acc.Length; i++) o.D[i] = (float)(acc[i] + bias[i / n]);
        return o;
    }

    private static T Norm(T x, WeightSet ws, string name)
    {
        var g = ws[name + ".weight"].Data;
        var b = ws[name + ".bias"].Data;
        var m = ws[name + "._mean"].Data;
        var v = ws[name + "._variance"].Data;
        var n = x.X * x.Y * x.Z;
        var o = x with { D = new float[x.D.Length] };
        for (var i = 0; i < x.D.Length; i++)
        {
            var c = i / n;
            o.D[i] = (float)((((double)x.D[i] - m[c]) / Math.Sqrt(v[c] + 1e-5) * g[c]) + b[c]);
        }

        return o;
    }

    private static T Act(VNetArchitecture a, T x, WeightSet ws, string name)
    {
        var n = x.X * x.Y * x.Z;
        var o = x with { D = new float[x.D.Length] };
        var slope = a.Activation == VNetActivation.PRelu ? ws[name + "._weight"].Data : null;
        for (var i = 0; i < x.D.Length; i++)
        {
            var v = x.D[i];
            o.D[i] = v >= 0 ? v : slope is not null ? slope[i / n] * v : (float)(Math.Exp(v) - 1.0);
        }

        return o;
    }

    private static T Add(T a, T b)
    {
        var o = a with { D = new float[a.D.Length] };
        for (var i = 0; i < a.D.Length; i++) o.D[i] = a.D[i] + b.D[i];
        return o;
    }

    private static T Concat(T a, T b)
    {
        var o = new T(a.C + b.C, a.X, a.Y, a.Z, new float[a.D.Length + b.D.Length]);
        Array.Copy(a.D, o.D, a.D.Length);
        Array.Copy(b.D, 0, o.D, a.D.Length, b.D.Length);
        return o;
    }
}
