namespace MRISpineSeg.Segmentation.Model.Inference;

/// <summary>Where the network should run.</summary>
public enum ExecutionDevice
{
    Cpu,

    /// <summary>CUDA when the CUDA execution provider is present in this process; otherwise CPU, with a warning logged.</summary>
    Cuda,
}
