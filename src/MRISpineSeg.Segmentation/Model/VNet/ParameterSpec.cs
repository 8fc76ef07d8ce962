namespace MRISpineSeg.Segmentation.Model.VNet;

/// <summary>What a parameter is, which decides its random initialisation and how the graph consumes it.</summary>
public enum ParameterKind
{
    ConvWeight,
    ConvTransposeWeight,
    Bias,
    BatchNormScale,
    BatchNormShift,
    BatchNormMean,
    BatchNormVariance,
    PReluSlope,
    InstanceNormScale,
    InstanceNormShift,
}

/// <summary>One entry of the Paddle state_dict: its key (e.g. <c>down_tr64.ops.1.bn1._mean</c>) and its shape as Paddle stores it.</summary>
public sealed record ParameterSpec(string Name, int[] Shape, ParameterKind Kind)
{
    /// <summary>Number of elements (product of <see cref="Shape"/>).</summary>
    public long Count
    {
        get
        {
            long n = 1;
            foreach (var d in Shape) n *= d;
            return n;
        }
    }

    /// <summary>True for BatchNorm running statistics, which Paddle does not count as trainable.</summary>
    public bool IsStatistic => Kind is ParameterKind.BatchNormMean or ParameterKind.BatchNormVariance;

    public static string FormatShape(ReadOnlySpan<int> shape) => "[" + string.Join(",", shape.ToArray()) + "]";
}
