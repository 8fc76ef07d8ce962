namespace MRISpineSeg.Phantoms;

/// <summary>
/// One anatomical shape in the sagittal plane: a superellipse centred at (U, V) mm, its long axis along the spine at
/// angle Psi (radians from superior, positive towards posterior), with half-height along the spine, half-depth across
/// it, and an elliptical left-right extent of radius LrRadius (the in-plane section shrinks away from the midline).
/// U runs anterior→posterior, V inferior→superior, W left→right; all in mm.
/// </summary>
internal sealed record Structure(
    Tissue Tissue,
    byte Label,
    double U,
    double V,
    double Psi,
    double HalfHeight,
    double HalfDepth,
    double LrRadius,
    double Exponent,
    double Brightness)
{
    private readonly double _sin = Math.Sin(Psi);
    private readonly double _cos = Math.Cos(Psi);
    private readonly double _reach = Math.Max(HalfHeight, HalfDepth) * 1.05;

    /// <summary>
    /// Normalised superellipse radius of (u, v, w): below 1 inside, 0 at the centre; +∞ when outside the bounding box
    /// or beyond the left-right extent.
    /// </summary>
    public double Radius(double u, double v, double w)
    {
        var du = u - U;
        var dv = v - V;
        if (Math.Abs(du) > _reach || Math.Abs(dv) > _reach) return double.PositiveInfinity;
        var lr = 1 - (w * w / (LrRadius * LrRadius));
        if (lr <= 0) return double.PositiveInfinity;
        var t = (du * _sin) + (dv * _cos);
        var n = (du * _cos) - (dv * _sin);
        var depth = HalfDepth * Math.Sqrt(lr);
        var f = Math.Pow(Math.Abs(t / HalfHeight), Exponent) + Math.Pow(Math.Abs(n / depth), Exponent);
        return Math.Pow(f, 1 / Exponent);
    }
}
