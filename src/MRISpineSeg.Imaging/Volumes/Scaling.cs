namespace MRISpineSeg.Imaging.Volumes;

/// <summary>
/// Linear intensity scaling of stored values: <c>real = stored · Slope + Intercept</c> (NIfTI scl_slope/scl_inter).
/// <see cref="Identity"/> means the stored values are the real values.
/// </summary>
public readonly record struct Scaling(double Slope, double Intercept)
{
    public static Scaling Identity { get; } = new(1.0, 0.0);

    public bool IsIdentity => Slope == 1.0 && Intercept == 0.0;
}
