using MRISpineSeg.Imaging.Volumes;

namespace MRISpineSeg.Phantoms;

/// <summary>
/// Turns a <see cref="SpineAnatomy"/> into voxels: labels are decided at each voxel centre (exact ground truth);
/// the T2-like image averages several samples across the slice thickness (partial volume between the 4.4 mm slices),
/// then gets a smooth multiplicative bias field and Rician noise. Buffers are x fastest (NIfTI order).
/// </summary>
internal static class PhantomRenderer
{
    private const double Air = 4;
    private const double Fat = 1350;
    private const double Muscle = 430;
    private const double Csf = 2250;
    private const double Cord = 760;

    public static (float[] Image, byte[] Labels) Render(SpineAnatomy anatomy, PhantomOptions options, int seed)
    {
        var shape = options.Shape;
        double sx = options.Spacing[0], sy = options.Spacing[1], sz = options.Spacing[2];
        var image = new float[shape.Count];
        var labels = new byte[shape.Count];
        var fovU = shape.X * sx;
        var fovV = shape.Y * sy;
        var structures = anatomy.Structures.ToArray();

        Parallel.For(0, shape.Z, k =>
        {
            var noise = new Random(unchecked((seed * 7919) + (k * 104729) + 17));
            var candidates = new List<Structure>(structures.Length);
            var wCenter = (k + 0.5 - (shape.Z / 2.0)) * sz;
            for (var j = 0; j < shape.Y; j++)
            {
                var v = (j + 0.5) * sy;
                candidates.Clear();
                foreach (var s in structures)
                {
                    if (Math.Abs(v - s.V) <= Math.Max(s.HalfHeight, s.HalfDepth) * 1.05) candidates.Add(s);
                }

                var row = (long)shape.X * (j + ((long)shape.Y * k));
                for (var i = 0; i < shape.X; i++)
                {
                    var u = (i + 0.5) * sx;
                    labels[row + i] = LabelAt(candidates, u, v, wCenter);
                    double sum = 0;
                    for (var q = 0; q < options.SliceSamples; q++)
                    {
                        var w = wCenter + (((q + 0.5) / options.SliceSamples) - 0.5) * sz;
                        sum += IntensityAt(anatomy, candidates, u, v, w);
                    }

                    var value = sum / options.SliceSamples * Bias(anatomy, u / fovU, v / fovV);
                    image[row + i] = (float)Rician(noise, value, anatomy.NoiseSigma);
                }
            }
        });

        return (image, labels);
    }

    private static byte LabelAt(List<Structure> candidates, double u, double v, double w)
    {
        byte disc = 0;
        foreach (var s in candidates)
        {
            if (s.Label == 0 || s.Radius(u, v, w) >= 1) continue;
            if (s.Tissue == Tissue.Bone) return s.Label;
            disc = s.Label;
        }

        return disc;
    }

    private static double IntensityAt(SpineAnatomy a, List<Structure> candidates, double u, double v, double w)
    {
        if (u > a.BackSkinU || u < a.FrontSkinU) return Air;
        var value = u > a.BackSkinU - 14 || u < a.FrontSkinU + 10
            ? Fat
            : Muscle + (60 * Math.Sin(u / 7.0) * Math.Sin(v / 9.0));
        var priority = -1;
        foreach (var s in candidates)
        {
            var p = Priority(s.Tissue);
            if (p <= priority) continue;
            var r = s.Radius(u, v, w);
            if (r >= 1) continue;
            priority = p;
            value = s.Tissue switch
            {
                Tissue.Bone => r > 0.88 ? 170 : (720 * s.Brightness) + (40 * Math.Sin(u * 1.3) * Math.Cos(v * 1.1)),
                Tissue.Disc => r < 0.5 ? 1950 * s.Brightness : r < 0.8 ? Lerp(1950 * s.Brightness, 700, (r - 0.5) / 0.3) : 650,
                Tissue.PosteriorElement => r > 0.8 ? 200 : 620 * s.Brightness,
                _ => v > a.ConusV && r < 0.4 ? Cord : Csf,
            };
        }

        return value;
    }

    private static int Priority(Tissue t) => t switch
    {
        Tissue.Bone => 3,
        Tissue.Disc => 2,
        Tissue.PosteriorElement => 1,
        _ => 0,
    };

    private static double Lerp(double a, double b, double t) => a + ((b - a) * t);

    /// <summary>Smooth coil-sensitivity-like field, 1 ± ~0.15 over the field of view.</summary>
    private static double Bias(SpineAnatomy a, double fu, double fv)
        => 1 + (0.12 * Math.Sin((Math.Tau * 0.6 * fu) + a.BiasPhase1) * Math.Cos((Math.Tau * 0.45 * fv) + a.BiasPhase2)) + (0.05 * (fv - 0.5));

    /// <summary>Magnitude of a complex signal with Gaussian noise in both channels (Rician).</summary>
    private static double Rician(Random rng, double signal, double sigma)
    {
        var re = signal + (sigma * Gaussian(rng));
        var im = sigma * Gaussian(rng);
        return Math.Sqrt((re * re) + (im * im));
    }

    private static double Gaussian(Random rng)
    {
        var u1 = 1.0 - rng.NextDouble();
        var u2 = rng.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(Math.Tau * u2);
    }
}
