namespace MRISpineSeg.Segmentation.Model.Weights;

/// <summary>
/// SplitMix64 with Box–Muller normals: a generator whose sequence is fixed by its seed on every runtime and platform,
/// unlike <see cref="Random"/>, whose algorithm the framework may change.
/// </summary>
internal sealed class SplitMix64(ulong seed)
{
    private ulong _state = seed;
    private double? _spare;

    public ulong NextUInt64()
    {
        var z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    public double NextNormal()
    {
        if (_spare is { } s)
        {
            _spare = null;
            return s;
        }

        double u1;
        do u1 = NextDouble();
        while (u1 <= double.Epsilon);
        var u2 = NextDouble();
        var r = Math.Sqrt(-2.0 * Math.Log(u1));
        _spare = r * Math.Sin(2 * Math.PI * u2);
        return r * Math.Cos(2 * Math.PI * u2);
    }
}
