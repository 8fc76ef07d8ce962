using System.Runtime.CompilerServices;
using Google.Protobuf;
using MRISpineSeg.Segmentation.Model.Onnx.Proto;

namespace MRISpineSeg.Segmentation.Model.Onnx;

/// <summary>
/// A model's graph cut down to its <c>labels</c> output. ONNX Runtime runs every node of a graph whatever outputs a
/// run asks for, so a graph with both outputs computes, keeps and concatenates the float32 logits (C·X·Y·Z, 252 MB at
/// 512×512×12 with 20 classes, plus one part per tail slab alive until the concatenation) even when only the labels
/// are fetched, as the worker and <c>segment</c> always do. The cut keeps the nodes the labels depend on and the
/// initializers they read; the model file stays as it was, with both outputs.
/// </summary>
internal static class LabelsOnlyGraph
{
    /// <summary>
    /// Writes the labels-only model to <paramref name="outPath"/>; false (nothing written) when there is nothing to cut:
    /// no <c>labels</c> output, no other output, or a node with a subgraph (If, Loop, Scan), whose outer-scope reads
    /// this cut does not trace. Not inlined, so that the parse (as large as the weights) is garbage when it returns.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static bool TryWriteCut(string modelPath, string outPath)
    {
        ModelProto model;
        using (var stream = File.OpenRead(modelPath))
        {
            try
            {
                model = ModelProto.Parser.ParseFrom(stream);
            }
            catch (InvalidProtocolBufferException)
            {
                return false; // ONNX Runtime reports the file itself, with its own message
            }
        }

        if (!Cut(model.Graph)) return false;
        using var output = File.Create(outPath);
        model.WriteTo(output);
        return true;
    }

    /// <summary>Cuts <paramref name="graph"/> in place; false when it was left as it was.</summary>
    internal static bool Cut(GraphProto graph)
    {
        var labels = graph.Output.FirstOrDefault(o => o.Name == SegmentationGraph.LabelsName);
        if (labels is null || graph.Output.Count == 1) return false;
        if (graph.Node.Any(n => n.Attribute.Any(a => a.G is not null || a.Graphs.Count > 0))) return false;

        var needed = new HashSet<string>(StringComparer.Ordinal) { labels.Name };
        var live = new List<NodeProto>(graph.Node.Count);
        for (var i = graph.Node.Count - 1; i >= 0; i--)
        {
            var node = graph.Node[i];
            if (!node.Output.Any(needed.Contains)) continue;
            live.Add(node);
            foreach (var input in node.Input) needed.Add(input);
        }

        live.Reverse();
        graph.Node.Clear();
        graph.Node.AddRange(live);
        graph.Output.Clear();
        graph.Output.Add(labels);
        var unused = graph.Initializer.Where(t => !needed.Contains(t.Name)).ToList();
        foreach (var t in unused) graph.Initializer.Remove(t);
        return true;
    }
}
