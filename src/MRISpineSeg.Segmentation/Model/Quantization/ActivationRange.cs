namespace MRISpineSeg.Segmentation.Model.Quantization;

/// <summary>The smallest and largest value one activation tensor took over the calibration scans.</summary>
public readonly record struct ActivationRange(float Min, float Max)
{
    public static ActivationRange Empty => new(float.PositiveInfinity, float.NegativeInfinity);

    public bool IsEmpty => Min > Max;

    public ActivationRange Union(ActivationRange other) => new(Math.Min(Min, other.Min), Math.Max(Max, other.Max));

    /// <summary>
    /// The uint8 affine quantization of this range (ONNX QuantizeLinear: q = clamp(round(x / scale) + zp, 0, 255)).
    /// The range is widened to hold 0, so that 0 (ReLU-like outputs, zero padding) is exact.
    /// </summary>
    public QuantParams ToUint8()
    {
        if (IsEmpty || float.IsNaN(Min) || float.IsNaN(Max) || float.IsInfinity(Min) || float.IsInfinity(Max))
            throw new InvalidOperationException($"activation range [{Min}, {Max}] cannot be quantized");
        var lo = Math.Min(0f, Min);
        var hi = Math.Max(0f, Max);
        if (hi - lo < 1e-12f) hi = lo + 1e-12f;
        var scale = (hi - lo) / 255f;
        var zp = (byte)Math.Clamp((int)Math.Round(-lo / scale, MidpointRounding.ToEven), 0, 255);
        return new QuantParams(scale, zp);
    }
}
