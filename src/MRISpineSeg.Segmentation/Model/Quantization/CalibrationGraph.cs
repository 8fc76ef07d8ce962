using System.Text.RegularExpressions;
using MRISpineSeg.Segmentation.Model.Onnx.Proto;

namespace MRISpineSeg.Segmentation.Model.Quantization;

/// <summary>
/// The fp32 graph of a <c>model build</c> VNet with each tensor that the int8 form quantizes reported as two scalar
/// outputs, its minimum and maximum. The tensors are named by role, which is how <see cref="Int8GraphBuilder"/> finds
/// their ranges:
/// <list type="bullet">
/// <item><c>input</c>: the preprocessed scan;</item>
/// <item>the name of a PReLU node (e.g. <c>down_tr64.ops.1.relu1</c>): that PReLU's input, i.e. a convolution's output
/// after its BatchNormalization, or a residual sum;</item>
/// <item><c>in_tr.conv1</c>: the first convolution's output, before the input is added to it.</item>
/// </list>
/// A PReLU's output range follows from its input's and its slopes (<see cref="Int8GraphBuilder"/>), so it is not measured.
/// Slabs of the tail (<c>#slabN</c>) report under the same role; ranges are their union. Each reduction feeds back into
/// the tensor's consumer as an added zero, so ONNX Runtime computes it as soon as the tensor exists and the tensor is
/// not kept alive to the end of the run.
/// </summary>
internal static partial class CalibrationGraph
{
    public const string InputRole = "input";
    public const string FirstConvRole = "in_tr.conv1";

    /// <summary>Adds the range outputs to <paramref name="model"/> (changed in place) and returns them: (min output, max output, role).</summary>
    public static IReadOnlyList<(string Min, string Max, string Role)> AddRangeOutputs(ModelProto model)
    {
        var graph = model.Graph;
        var outputs = new List<(string, string, string)>();
        var nodes = graph.Node.ToList();
        graph.Node.Clear();
        var k = 0;

        (string Min, string Max) Reduce(string tensor, string role, List<NodeProto> into)
        {
            var min = $"calibration{k}.min";
            var max = $"calibration{k}.max";
            k++;
            into.Add(Node("ReduceMin", min, [tensor], keepdims: true));
            into.Add(Node("ReduceMax", max, [tensor], keepdims: true));
            outputs.Add((min, max, role));
            graph.Output.Add(Scalar(min));
            graph.Output.Add(Scalar(max));
            return (min, max);
        }

        var input = graph.Input[0].Name;
        var pre = new List<NodeProto>();
        Reduce(input, InputRole, pre);
        graph.Node.AddRange(pre);
        foreach (var node in nodes)
        {
            var role = node.OpType == "PRelu" ? SlabSuffix().Replace(node.Name, string.Empty)
                : SlabSuffix().Replace(node.Name, string.Empty) == "in_tr.add" ? FirstConvRole
                : null;
            if (role is not null)
            {
                var added = new List<NodeProto>();
                var (min, max) = Reduce(node.Input[0], role, added);
                // x + (min + max)·0: the same values, but the consumer now waits for both reductions.
                var zero = $"calibration{k}.zero";
                added.Add(Node("Add", zero + ".sum", [min, max]));
                added.Add(new NodeProto { OpType = "Mul", Name = zero, Input = { zero + ".sum", ZeroConstant(graph) }, Output = { zero } });
                added.Add(Node("Add", zero + ".applied", [node.Input[0], zero]));
                node.Input[0] = zero + ".applied";
                graph.Node.AddRange(added);
            }

            graph.Node.Add(node);
        }

        return outputs;
    }

    private static NodeProto Node(string op, string name, string[] inputs, bool keepdims = false)
    {
        var n = new NodeProto { OpType = op, Name = name };
        n.Input.AddRange(inputs);
        n.Output.Add(name);
        if (op.StartsWith("Reduce", StringComparison.Ordinal))
            n.Attribute.Add(new AttributeProto { Name = "keepdims", Type = AttributeProto.Types.AttributeType.Int, I = keepdims ? 1 : 0 });
        return n;
    }

    private static string ZeroConstant(GraphProto graph)
    {
        const string name = "calibration.zero_constant";
        if (graph.Initializer.All(t => t.Name != name))
        {
            var t = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
            t.FloatData.Add(0f);
            graph.Initializer.Add(t);
        }

        return name;
    }

    private static ValueInfoProto Scalar(string name) => new()
    {
        Name = name,
        Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float } },
    };

    [GeneratedRegex(@"#slab\d+$")]
    private static partial Regex SlabSuffix();
}
