using MRISpineSeg.Imaging.Volumes;
using MRISpineSeg.Segmentation.Model.VNet;
using MRISpineSeg.Segmentation.Model.Weights;

namespace MRISpineSeg.Segmentation.Model.UNet3D;

/// <summary>
/// PaddleSeg MedicalSeg's UNet3D (<c>medicalseg/models/unet3d.py</c>, from MedicalZooPytorch; docs/design.md §4):
/// one input channel, <see cref="NumClasses"/> outputs, channels b, 2b, 4b, 8b, 16b over five levels for base_n_filter
/// b (<see cref="BaseFilters"/>, 8 in Paddle). Every Conv3D has kernel 3 and padding 1 (or is 1×1×1) and no bias;
/// InstanceNorm3D has an affine <c>scale</c>/<c>bias</c>, eps 1e-5 and no running statistics; LeakyReLU has slope 0.01.
/// Four stride-2 convolutions halve every axis and four ×2 upsamplings double it back, so every grid extent must be a
/// multiple of 16 (<see cref="GridMultiple"/>): PaddleSeg's 512×512×12 does not fit; 512×512×16 does.
/// </summary>
public sealed record UNet3DArchitecture
{
    public const float InstanceNormEpsilon = 1e-5f;

    public const float LeakyReluSlope = 0.01f;

    /// <summary>Four stride-2 levels: 2⁴ on every axis.</summary>
    public static readonly Shape3 GridMultiple = new(16, 16, 16);

    /// <summary>Widest base_n_filter accepted (Paddle uses 8; 16b channels at the bottom).</summary>
    public const int MaxBaseFilters = 64;

    public int BaseFilters { get; init; } = 8;

    public int NumClasses { get; init; } = 20;

    /// <summary>The architecture at the given base filters and class count.</summary>
    public static UNet3DArchitecture Create(int baseFilters = 8, int numClasses = 20)
    {
        if (baseFilters < 1 || baseFilters > MaxBaseFilters)
            throw new ArgumentOutOfRangeException(nameof(baseFilters), baseFilters, $"UNet3D base filters must be between 1 and {MaxBaseFilters} (PaddleSeg uses 8).");
        if (numClasses < 2 || numClasses > ModelManifest.MaxClasses)
            throw new ArgumentOutOfRangeException(nameof(numClasses), numClasses, $"Class count must be between 2 and {ModelManifest.MaxClasses} (labels are bytes).");
        return new UNet3DArchitecture { BaseFilters = baseFilters, NumClasses = numClasses };
    }

    /// <summary>
    /// The base filters from <c>conv3d_c1_1.weight</c> [b,1,3,3,3] and the classes from <c>conv3d_l4.weight</c> [C,2b,1,1,1].
    /// Throws <see cref="SegmentationException"/> (WeightsMismatch) when either is absent or malformed; the full key
    /// check is <see cref="Validate"/>.
    /// </summary>
    public static UNet3DArchitecture Infer(WeightSet weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        if (!weights.Tensors.TryGetValue("conv3d_c1_1.weight", out var first) || first.Shape.Length != 5 || first.Shape[1] != 1)
            throw Anchor(weights, "conv3d_c1_1.weight", first, "[base,1,3,3,3]");
        if (!weights.Tensors.TryGetValue("conv3d_l4.weight", out var last) || last.Shape.Length != 5 || last.Shape[1] != 2 * first.Shape[0])
            throw Anchor(weights, "conv3d_l4.weight", last, $"[classes,{2 * first.Shape[0]},1,1,1]");
        var (b, c) = (first.Shape[0], last.Shape[0]);
        if (b is < 1 or > MaxBaseFilters || c is < 2 or > ModelManifest.MaxClasses)
        {
            throw new SegmentationException(
                SegmentationErrorReason.WeightsMismatch,
                $"{weights.Source}: base filters {b} (from conv3d_c1_1.weight) or class count {c} (from conv3d_l4.weight) is out of range; base filters must be 1..{MaxBaseFilters} and classes 2..{ModelManifest.MaxClasses}");
        }

        return Create(b, c);
    }

    /// <summary>One <see cref="SegmentationException"/> (WeightsMismatch) listing every missing, unexpected and mis-shaped key.</summary>
    public void Validate(WeightSet weights) => WeightValidator.Validate(weights, Parameters(), $"UNet3D base {BaseFilters}, {NumClasses} classes");

    /// <summary>Every state_dict entry in Paddle's registration order (68 keys), with Paddle's shapes.</summary>
    public IReadOnlyList<ParameterSpec> Parameters()
    {
        var b = BaseFilters;
        var list = new List<ParameterSpec>();
        Conv(list, "conv3d_c1_1", 1, b, 3);
        Conv(list, "conv3d_c1_2", b, b, 3);
        Conv(list, "lrelu_conv_c1.1", b, b, 3);
        Norm(list, "inorm3d_c1", b);
        for (var level = 2; level <= 5; level++)
        {
            var (cin, cout) = (b << (level - 2), b << (level - 1));
            Conv(list, $"conv3d_c{level}", cin, cout, 3);
            Norm(list, $"norm_lrelu_conv_c{level}.0", cout);
            Conv(list, $"norm_lrelu_conv_c{level}.2", cout, cout, 3);
            if (level < 5) Norm(list, $"inorm3d_c{level}", cout);
        }

        // Paddle registers l0's upscale block, conv3d_l0 and inorm3d_l0, then per localization level its
        // conv_norm_lrelu, 1x1 conv and (but the last) upscale block.
        Upscale(list, "norm_lrelu_upscale_conv_norm_lrelu_l0", 16 * b, 8 * b);
        Conv(list, "conv3d_l0", 8 * b, 8 * b, 1);
        Norm(list, "inorm3d_l0", 8 * b);
        for (var level = 1; level <= 4; level++)
        {
            var c = (16 * b) >> (level - 1);
            Conv(list, $"conv_norm_lrelu_l{level}.0", c, c, 3);
            Norm(list, $"conv_norm_lrelu_l{level}.1", c);
            Conv(list, $"conv3d_l{level}", c, level == 4 ? NumClasses : c / 2, 1);
            if (level < 4) Upscale(list, $"norm_lrelu_upscale_conv_norm_lrelu_l{level}", c / 2, c / 4);
        }

        Conv(list, "ds2_1x1_conv3d", 8 * b, NumClasses, 1);
        Conv(list, "ds3_1x1_conv3d", 4 * b, NumClasses, 1);
        return list;
    }

    /// <summary>Parameter count (Paddle's trainable parameters: UNet3D has no statistics): 1,785,368 at base 8 and 20 classes.</summary>
    public long ParameterCount() => Parameters().Sum(p => p.Count);

    private static void Upscale(List<ParameterSpec> list, string name, int cin, int cout)
    {
        Norm(list, name + ".0", cin);
        Conv(list, name + ".3", cin, cout, 3);
        Norm(list, name + ".4", cout);
    }

    private static void Conv(List<ParameterSpec> list, string name, int cin, int cout, int k)
        => list.Add(new(name + ".weight", [cout, cin, k, k, k], ParameterKind.ConvWeight));

    private static void Norm(List<ParameterSpec> list, string name, int channels)
    {
        list.Add(new(name + ".scale", [channels], ParameterKind.InstanceNormScale));
        list.Add(new(name + ".bias", [channels], ParameterKind.InstanceNormShift));
    }

    private static SegmentationException Anchor(WeightSet weights, string key, WeightTensor? found, string expected)
        => new(
            SegmentationErrorReason.WeightsMismatch,
            found is null
                ? $"{weights.Source}: key '{key}' is missing, so the UNet3D base filters/class count cannot be inferred; is this a PaddleSeg MedicalSeg UNet3D state_dict?"
                : $"{weights.Source}: key '{key}' has shape {ParameterSpec.FormatShape(found.Shape)}, expected {expected}");
}
