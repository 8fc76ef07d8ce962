using MRISpineSeg.Imaging.Volumes;
using MRISpineSeg.Segmentation.Model.Onnx;
using MRISpineSeg.Segmentation.Model.Onnx.Proto;
using MRISpineSeg.Segmentation.Model.VNet;
using MRISpineSeg.Segmentation.Model.Weights;
using static MRISpineSeg.Segmentation.Model.Onnx.OnnxGraphWriter;
using DataType = MRISpineSeg.Segmentation.Model.Onnx.Proto.TensorProto.Types.DataType;

namespace MRISpineSeg.Segmentation.Model.Quantization;

/// <summary>
/// Writes the int8 form of a <c>model build</c> VNet from its Paddle weights and calibrated activation ranges
/// (<see cref="CalibrationGraph"/> names them). Same input and outputs as the fp32 graph (<c>input</c> float32
/// [1,1,X,Y,Z]; <c>logits</c> float32 [1,C,X,Y,Z]; <c>labels</c> uint8 [1,X,Y,Z]).
/// Inside, activations are uint8 [Z, X, Y, C] (channels last, z as the batch axis), each tensor with its own scale and
/// zero point from its calibrated range. A 3-D convolution is one 2-D <c>com.microsoft</c> QLinearConv (channels_last)
/// per run of output slices that see the same z taps (<see cref="ZTapRegions"/>): its input is the "z-fold", the input
/// slices of those taps concatenated on channels, so the zero z padding is never multiplied; runs are joined along z.
/// Weights are BatchNorm-folded and quantized per output channel to 7 bits (<see cref="Int8Weights"/>).
/// A transposed convolution with x/y kernel = stride = 2 is a 1×1 QLinearConv to (taps × 4 × C) channels followed by a
/// depth-to-space transpose. PReLU is Max(x, QLinearMul(x, a)) with x's own quantization, exact for slopes in [0, 1];
/// a layer with any slope outside [0, 1] runs dequantized (DequantizeLinear → PRelu → QuantizeLinear with the exact
/// output bound). Residual sums are QLinearAdd, skip concatenations QLinearConcat. The last 1×1 convolution (a MatMul
/// on channels-last data) and the ArgMax run in fp32. The full-resolution tail runs in x-slabs like the fp32 graph's
/// (<see cref="WriteTail"/>).
/// </summary>
internal sealed partial class Int8GraphBuilder
{
    private const string Ms = "com.microsoft";
    private readonly VNetArchitecture _arch;
    private readonly WeightSet _weights;
    private readonly IReadOnlyDictionary<string, ActivationRange> _ranges;
    private readonly Shape3[] _levels;
    private readonly Dictionary<QuantParams, (string Scale, string ZeroPoint)> _params = [];

    /// <summary>The node-name suffix of the tail slab being written (<c>#slab{i}</c>); empty outside the tail or when it runs whole.</summary>
    private string _slab = string.Empty;

    private Int8GraphBuilder(VNetArchitecture arch, WeightSet weights, IReadOnlyDictionary<string, ActivationRange> ranges, Shape3[] levels)
    {
        _arch = arch;
        _weights = weights;
        _ranges = ranges;
        _levels = levels;
    }

    /// <summary>The PReLU layers that run dequantized because a slope lies outside [0, 1].</summary>
    public List<string> DequantizedActivations { get; } = [];

    private OnnxGraphWriter Writer { get; } = new("vnet-int8");

    public static ModelProto Build(VNetArchitecture arch, WeightSet weights, Shape3 grid, int tailSlabs, IReadOnlyDictionary<string, ActivationRange> ranges, IEnumerable<KeyValuePair<string, string>> metadata, out IReadOnlyList<string> dequantized)
    {
        if (!arch.TryLevelGrids(grid, out var levels, out var gridError))
            throw new SegmentationException(SegmentationErrorReason.InputMismatch, $"grid {grid} does not fit the VNet: {gridError}");
        if (arch.Activation != VNetActivation.PRelu)
            throw new SegmentationException(SegmentationErrorReason.ModelMismatch, "the int8 form is built for PReLU VNets (PaddleSeg's elu=False); this model uses ELU");
        var b = new Int8GraphBuilder(arch, weights, ranges, levels);
        b.Write(grid, tailSlabs);
        dequantized = b.DequantizedActivations;
        return b.Writer.ToModel("PaddleSeg MedicalSeg VNet (mri_spine_seg), int8 form (u8 activations, s8 per-channel weights) built by MRISpineSeg from " + weights.Source, VNetGraphBuilder.Opset, metadata, microsoftOpset: 1);
    }

    private void Write(Shape3 grid, int tailSlabs)
    {
        var (gx, gy, gz) = (grid.X, grid.Y, grid.Z);
        Writer.AddInput(VNetGraphBuilder.InputName, DataType.Float, [1, 1, gx, gy, gz]);
        var flat = Writer.Reshape("input_xyz", VNetGraphBuilder.InputName, [gx, gy, gz]);
        var zxy = Writer.Reshape("input_zxy1", Writer.Node("Transpose", "input_transpose", [flat], [Ints("perm", 2, 0, 1)]), [gz, gx, gy, 1]);
        var q = Range(CalibrationGraph.InputRole).ToUint8();
        var input = new QTensor(Writer.Node("QuantizeLinear", "input_quantize", [zxy, Scale(q), ZeroPoint(q)]), q, 1);

        // in_tr: conv 5³ → BN → + the input broadcast over channels (Paddle's tile) → PReLU.
        var conv = Conv("in_tr.conv1", input, gz, gz, [5, 5, 5], [1, 1, 1], 2, "in_tr.bn1", CalibrationGraph.FirstConvRole);
        var x = Prelu("in_tr.relu1", Add("in_tr.add", conv, input, "in_tr.relu1"));

        var skips = new List<QTensor> { x };
        for (var i = 0; i < _arch.DownBlocks.Count; i++)
        {
            var d = _arch.DownBlocks[i];
            var zOut = _levels[i + 1].Z;
            var down = Prelu(d.Name + ".relu1", Conv(d.Name + ".down_conv", x, _levels[i].Z, zOut, d.Kernel, d.Stride, 0, d.Name + ".bn1", d.Name + ".relu1"));
            var ops = LuConvs(d.Name, down, d.ConvCount, zOut);
            x = Prelu(d.Name + ".relu2", Add(d.Name + ".add", ops, down, d.Name + ".relu2"));
            skips.Add(x);
        }

        for (var i = 0; i < _arch.UpBlocks.Count - 1; i++)
        {
            var u = _arch.UpBlocks[i];
            var (zIn, zOut) = (_levels[^(i + 1)].Z, _levels[^(i + 2)].Z);
            var up = Prelu(u.Name + ".relu1", UpConv(u, x, zIn, _levels[^(i + 2)]));
            var cat = Concat(u.Name + ".concat", up, skips[skips.Count - 2 - i]);
            var ops = LuConvs(u.Name, cat, u.ConvCount, zOut);
            x = Prelu(u.Name + ".relu2", Add(u.Name + ".add", ops, cat, u.Name + ".relu2"));
        }

        WriteTail(grid, x, skips[0], tailSlabs);
        Writer.AddOutput(VNetGraphBuilder.LogitsName, DataType.Float, [1, _arch.NumClasses, gx, gy, gz]);
        Writer.AddOutput(VNetGraphBuilder.LabelsName, DataType.Uint8, [1, gx, gy, gz]);
    }

    private QTensor LuConvs(string block, QTensor x, int count, int z)
    {
        for (var i = 0; i < count; i++)
        {
            var p = $"{block}.ops.{i}";
            x = Prelu(p + ".relu1", Conv(p + ".conv1", x, z, z, [5, 5, 5], [1, 1, 1], 2, p + ".bn1", p + ".relu1"));
        }

        return x;
    }

    private ActivationRange Range(string role)
        => _ranges.TryGetValue(role, out var r) && !r.IsEmpty
            ? r
            : throw new SegmentationException(SegmentationErrorReason.ModelMismatch, $"calibration has no range for '{role}': the fp32 graph is not the one 'spineseg model build' writes");

    /// <summary>A uint8 activation [Z, X, Y, C] and its quantization.</summary>
    private sealed record QTensor(string Name, QuantParams Q, int Channels);
}
