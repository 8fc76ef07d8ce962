namespace MRISpineSeg.Segmentation.Model.Inference;

/// <summary>
/// Which of a VNet model's two graph forms a session runs. The file stores one (the CPU form, with Paddle's weights);
/// the other is built from those weights at load (<c>VNetNativeForm</c>).
/// </summary>
public enum GraphForm
{
    /// <summary>The CPU provider runs the stored per-z-tap form; the CUDA provider runs the native 3-D form in float16.</summary>
    Auto,

    /// <summary>The graph as stored in the file, on any provider.</summary>
    Stored,

    /// <summary>
    /// The native 3-D form: float16 on CUDA, float32 on the CPU (where it is slower than the stored form and needs more
    /// memory, and exists so that tests can check it against the stored form without a GPU).
    /// </summary>
    Native3D,
}
