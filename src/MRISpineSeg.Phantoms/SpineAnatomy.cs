namespace MRISpineSeg.Phantoms;

/// <summary>
/// A random but plausible lumbar spine for one seed: sacrum, L5…L1, T12…T9 and the discs between them, stacked along
/// a lordotic curve from the sacral promontory upwards, plus the canal and posterior elements. Sizes in mm follow
/// adult lumbar anatomy (bodies ~20–28 mm tall and ~32–36 mm deep, discs ~5–11 mm) scaled per subject; the curve,
/// position and size vary with the seed, so the upper thoracic levels are sometimes out of the field of view.
/// </summary>
internal sealed class SpineAnatomy
{
    // Heights (mm) from the sacrum up: bodies L5..T9 and the discs below each of them (L5/S..T9/T10).
    private static readonly double[] BodyHeights = [27, 27, 26, 25, 24, 23, 22, 21, 20];
    private static readonly double[] DiscHeights = [10, 11, 10, 9, 8, 6, 5.5, 5, 5];

    private SpineAnatomy(List<Structure> structures, double backSkinU, double frontSkinU, double conusV, double bias1, double bias2, double noiseSigma)
    {
        Structures = structures;
        BackSkinU = backSkinU;
        FrontSkinU = frontSkinU;
        ConusV = conusV;
        BiasPhase1 = bias1;
        BiasPhase2 = bias2;
        NoiseSigma = noiseSigma;
    }

    public IReadOnlyList<Structure> Structures { get; }

    /// <summary>U (mm) of the skin of the back; posterior of it is air.</summary>
    public double BackSkinU { get; }

    /// <summary>U (mm) of the anterior abdominal skin; anterior of it is air.</summary>
    public double FrontSkinU { get; }

    /// <summary>V (mm) where the spinal cord ends (conus medullaris); below it the canal holds only CSF and roots.</summary>
    public double ConusV { get; }

    public double BiasPhase1 { get; }

    public double BiasPhase2 { get; }

    /// <summary>Standard deviation of the Gaussian noise in each channel before the Rician magnitude.</summary>
    public double NoiseSigma { get; }

    public static SpineAnatomy Create(int seed, double fovU, double fovV)
    {
        var rng = new Random(seed);
        double R(double lo, double hi) => lo + ((hi - lo) * rng.NextDouble());

        var scale = R(0.9, 1.1);
        var psi0 = R(14, 30) * Math.PI / 180; // lordosis: the lumbar spine first leans anteriorly going up
        var psi1 = R(4, 14) * Math.PI / 180;  // ... and turns posteriorly into the thoracic kyphosis
        var u0 = fovU * R(0.44, 0.56);
        var v0 = fovV * R(0.10, 0.32);
        var depthLumbar = 17 * scale;
        var structures = new List<Structure>();

        // Sacrum (label 1): a large wedge tilted posteriorly below the L5/S disc.
        var psiS = -psi0 - (R(20, 32) * Math.PI / 180);
        var sacrumH = 32 * scale;
        var sU = u0 - (Math.Sin(psiS) * sacrumH * 0.95);
        var sV = v0 - (Math.Cos(psiS) * sacrumH * 0.95);
        structures.Add(new Structure(Tissue.Bone, 1, sU, sV, psiS, sacrumH, depthLumbar * 1.15, 26 * scale, 3.0, R(0.85, 1.1)));

        // Walk up the curve: disc, body, disc, body ...
        double s = 0, u = u0, v = v0;
        double Psi(double arc) => -psi0 + ((psi0 + psi1) * Math.Min(arc / 280.0, 1.0));
        (double U, double V, double Psi) Advance(double length)
        {
            const double step = 0.5;
            double su = 0, sv = 0;
            for (double d = 0; d < length; d += step)
            {
                var p = Psi(s + d);
                su += Math.Sin(p) * Math.Min(step, length - d);
                sv += Math.Cos(p) * Math.Min(step, length - d);
            }

            var mid = Psi(s + (length / 2));
            var center = (u + (su / 2), v + (sv / 2), mid);
            u += su;
            v += sv;
            s += length;
            return center;
        }

        for (var level = 0; level < BodyHeights.Length; level++)
        {
            var thoracic = level >= 5;
            var depth = thoracic ? depthLumbar * 0.82 : depthLumbar;
            var lr = (thoracic ? 19 : 24) * scale;

            var discH = DiscHeights[level] * scale * R(0.9, 1.1);
            var d = Advance(discH);
            var discLabel = (byte)(11 + level);
            var degeneration = level <= 1 ? R(0.45, 1.0) : R(0.8, 1.05);
            structures.Add(new Structure(Tissue.Disc, discLabel, d.U, d.V, d.Psi, discH / 2 * 1.08, depth * 1.06, lr, 2.4, degeneration));
            AddCanal(structures, d, discH / 2, depth, scale);

            var bodyH = BodyHeights[level] * scale * R(0.95, 1.05);
            var b = Advance(bodyH);
            var bodyLabel = (byte)(2 + level);
            structures.Add(new Structure(Tissue.Bone, bodyLabel, b.U, b.V, b.Psi, bodyH / 2, depth, lr, 4.0, R(0.85, 1.15)));
            AddCanal(structures, b, bodyH / 2, depth, scale);
            AddSpinousProcess(structures, b, bodyH, depth, scale, R(0.8, 1.1));
        }

        var back = u0 + (R(85, 110) * scale);
        var front = fovU * R(0.0, 0.06);
        var conus = structures.First(x => x.Label == 6).V + R(-15, 15);
        return new SpineAnatomy(structures, back, front, conus, R(0, Math.Tau), R(0, Math.Tau), R(22, 40));
    }

    private static void AddCanal(List<Structure> list, (double U, double V, double Psi) c, double halfHeight, double depth, double scale)
    {
        var canalHalf = 7.5 * scale;
        var offset = depth + 2.5 + canalHalf;
        var u = c.U + (Math.Cos(c.Psi) * offset);
        var v = c.V - (Math.Sin(c.Psi) * offset);
        list.Add(new Structure(Tissue.Canal, 0, u, v, c.Psi, halfHeight * 1.25, canalHalf, 11 * scale, 2.0, 1.0));
    }

    private static void AddSpinousProcess(List<Structure> list, (double U, double V, double Psi) c, double bodyH, double depth, double scale, double brightness)
    {
        var offset = depth + 2.5 + (15 * scale) + (16 * scale);
        var u = c.U + (Math.Cos(c.Psi) * offset);
        var v = c.V - (Math.Sin(c.Psi) * offset) - (bodyH * 0.15);
        list.Add(new Structure(Tissue.PosteriorElement, 0, u, v, c.Psi + 0.35, bodyH * 0.32, 14 * scale, 9 * scale, 2.2, brightness));
    }
}
