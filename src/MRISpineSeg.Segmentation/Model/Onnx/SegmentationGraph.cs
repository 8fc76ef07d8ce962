namespace MRISpineSeg.Segmentation.Model.Onnx;

/// <summary>
/// The graph interface every model the pipeline runs shares, whoever built it: one float32 input [1, 1, X, Y, Z]
/// (z fastest), <see cref="LogitsName"/> float32 [1, C, X, Y, Z] and <see cref="LabelsName"/> uint8 [1, X, Y, Z].
/// </summary>
internal static class SegmentationGraph
{
    public const string InputName = "input";
    public const string LogitsName = "logits";
    public const string LabelsName = "labels";

    /// <summary>The opset the models this project writes import.</summary>
    public const int Opset = 17;

    /// <summary>
    /// Labels from logits inside the graph: ArgMax over the class axis (first maximum on ties, as numpy's argmax: ONNX's
    /// default, so the attribute that says so, from opset 12, is left out and older imported graphs take the node too),
    /// then a Cast to uint8, written as <paramref name="output"/>.
    /// </summary>
    public static string AddLabels(OnnxGraphWriter writer, string logits, string output = LabelsName)
    {
        var argmax = writer.Node("ArgMax", output + ".argmax", [logits], [OnnxGraphWriter.Int("axis", 1), OnnxGraphWriter.Int("keepdims", 0)]);
        return writer.Node("Cast", output + ".cast", [argmax], [OnnxGraphWriter.Int("to", (long)Proto.TensorProto.Types.DataType.Uint8)], output);
    }
}
