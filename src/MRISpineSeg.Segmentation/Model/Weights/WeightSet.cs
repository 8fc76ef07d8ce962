using MRISpineSeg.Segmentation.Model.VNet;

namespace MRISpineSeg.Segmentation.Model.Weights;

/// <summary>
/// A state_dict: Paddle key → float32 tensor, plus where it came from. <see cref="Sha256"/> identifies the weights in a
/// model manifest: for a <c>.pdparams</c> it is the SHA-256 of the file's bytes (so <c>sha256sum</c> agrees); for random
/// weights it is the SHA-256 of the tensors' little-endian float32 bytes in architecture order.
/// </summary>
public sealed class WeightSet
{
    public WeightSet(IReadOnlyDictionary<string, WeightTensor> tensors, string sha256, string source)
    {
        Tensors = tensors;
        Sha256 = sha256;
        Source = source;
    }

    public IReadOnlyDictionary<string, WeightTensor> Tensors { get; }

    /// <summary>Lower-case hex SHA-256 (see the class remarks for what it covers).</summary>
    public string Sha256 { get; }

    /// <summary>A file path, or e.g. <c>random-seed:42</c>.</summary>
    public string Source { get; }

    public WeightTensor this[string name] => Tensors[name];

    /// <summary>
    /// Infers the architecture from the weights: the width from <c>in_tr.conv1.weight</c> [w,1,5,5,5], the classes from
    /// <c>out_tr.conv2.weight</c> [C,C,1,1,1], the activation from whether PReLU slopes are present.
    /// Throws <see cref="SegmentationException"/> (WeightsMismatch) when the anchor keys are absent or malformed;
    /// the full key check is <see cref="WeightValidator.Validate(WeightSet, VNetArchitecture)"/>.
    /// </summary>
    public VNetArchitecture InferArchitecture()
    {
        if (!Tensors.TryGetValue("in_tr.conv1.weight", out var inConv) || inConv.Shape.Length != 5 || inConv.Shape[1] != 1)
            throw Mismatch("in_tr.conv1.weight", inConv, "[width,1,5,5,5]");
        if (!Tensors.TryGetValue("out_tr.conv2.weight", out var outConv) || outConv.Shape.Length != 5 || outConv.Shape[0] != outConv.Shape[1])
            throw Mismatch("out_tr.conv2.weight", outConv, "[classes,classes,1,1,1]");
        var width = inConv.Shape[0];
        var classes = outConv.Shape[0];
        if (width is < 1 or > VNetArchitecture.MaxWidth || classes is < 2 or > VNetArchitecture.MaxClasses)
        {
            throw new SegmentationException(
                SegmentationErrorReason.WeightsMismatch,
                $"{Source}: width {width} (from in_tr.conv1.weight) or class count {classes} (from out_tr.conv2.weight) is out of range; width must be 1..{VNetArchitecture.MaxWidth} and classes 2..{VNetArchitecture.MaxClasses}");
        }

        var activation = Tensors.ContainsKey("in_tr.relu1._weight") ? VNetActivation.PRelu : VNetActivation.Elu;
        return VNetArchitecture.Spine(width, classes, activation);
    }

    private SegmentationException Mismatch(string key, WeightTensor? found, string expected)
        => new(
            SegmentationErrorReason.WeightsMismatch,
            found is null
                ? $"{Source}: key '{key}' is missing, so the VNet width/class count cannot be inferred; is this a PaddleSeg MedicalSeg VNet state_dict?"
                : $"{Source}: key '{key}' has shape {ParameterSpec.FormatShape(found.Shape)}, expected {expected}");
}
