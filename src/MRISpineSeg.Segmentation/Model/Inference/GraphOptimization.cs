namespace MRISpineSeg.Segmentation.Model.Inference;

/// <summary>How much ONNX Runtime rewrites the graph before running it (its graph optimisation levels, without its types).</summary>
public enum GraphOptimization
{
    /// <summary>Run the graph as stored.</summary>
    None,

    /// <summary>Constant folding and redundant-node removal.</summary>
    Basic,

    /// <summary>Basic plus operator fusions.</summary>
    Extended,

    /// <summary>Everything, layout changes included (the default).</summary>
    All,
}
