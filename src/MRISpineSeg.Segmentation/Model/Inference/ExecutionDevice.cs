namespace MRISpineSeg.Segmentation.Model.Inference;

/// <summary>Where the network should run.</summary>
public enum ExecutionDevice
{
    Cpu,

    /// <summary>
    /// ONNX Runtime's CUDA provider, when this process ships it (the CUDA worker) and a driver, the CUDA 13 and cuDNN 9
    /// libraries and a GPU are there; otherwise CPU with a warning, or a refusal with <see cref="OnnxNetworkOptions.RequireDevice"/>.
    /// </summary>
    Cuda,
}
