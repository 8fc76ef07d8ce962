using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;
using MRISpineSeg.Segmentation.Model.Inference.Cuda;
using MRISpineSeg.Segmentation.Model.VNet;

namespace MRISpineSeg.Segmentation.Model.Inference;

/// <summary>Loading on the CUDA provider: the native 3-D form in float16, cuDNN's exhaustive algorithm search, IOBinding and CUDA graphs.</summary>
public sealed partial class OnnxSegmentationNetwork
{
    private const string CudaProvider = "CUDAExecutionProvider";
    private const string CpuProvider = "CPUExecutionProvider";

    /// <summary>
    /// Warm-up runs at load: ONNX Runtime's CUDA provider makes two ordinary runs (allocations, cuDNN's algorithm
    /// search) before it captures the graph on the next one. Running them here moves that cost, and any CUDA failure,
    /// to start-up, before the first job.
    /// </summary>
    private const int CudaWarmUpRuns = 3;

    /// <summary>A network on CUDA, or null with the reason CUDA cannot be used.</summary>
    private static OnnxSegmentationNetwork? TryLoadOnCuda(string modelPath, OnnxNetworkOptions options, out string problem)
    {
        byte[]? native = null;
        if (options.GraphForm != GraphForm.Stored)
        {
            if (options.GraphForm == GraphForm.Native3D) native = NativeForm(modelPath, NativePrecision.Float16, options);
            else if (VNetNativeForm.TryBuild(modelPath, NativePrecision.Float16, out var onnx, out var manifest, out var why)) native = onnx;
            else if (manifest?.IsInt8 == true)
            {
                // ONNX Runtime's CUDA provider has no kernels for the int8 form's QLinear operators: it would run them on the CPU, node by node.
                problem = why!;
                return null;
            }
            else options.Logger?.LogInformation("{ModelPath} runs on CUDA as stored: {Why}", modelPath, why);
        }

        if (Array.IndexOf(OrtEnv.Instance().GetAvailableProviders(), CudaProvider) < 0)
        {
            problem = CudaReadiness.Explain(null, providerPresent: false);
            return null;
        }

        var graphs = native is not null && options.CudaGraphs;
        var network = TryCudaSession(modelPath, native, options, graphs, out problem);
        if (network is null && graphs)
        {
            options.Logger?.LogWarning("CUDA graph capture failed ({Problem}); running CUDA without graphs", problem);
            network = TryCudaSession(modelPath, native, options, graphs: false, out problem);
        }

        return network;
    }

    private static OnnxSegmentationNetwork? TryCudaSession(string modelPath, byte[]? native, OnnxNetworkOptions options, bool graphs, out string problem)
    {
        OnnxSegmentationNetwork? network = null;
        try
        {
            using var so = NewSessionOptions(options);
            using (var cuda = new OrtCUDAProviderOptions())
            {
                cuda.UpdateOptions(new Dictionary<string, string>
                {
                    ["device_id"] = options.CudaDeviceId.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    // Shapes are fixed, so the exhaustive search runs once per convolution (in the warm-up) and its pick is kept.
                    ["cudnn_conv_algo_search"] = "EXHAUSTIVE",
                    ["cudnn_conv_use_max_workspace"] = "1",
                    ["enable_cuda_graph"] = graphs ? "1" : "0",
                });
                so.AppendExecutionProvider_CUDA(cuda);
            }

            var session = native is null ? new InferenceSession(modelPath, so) : new InferenceSession(native, so);
            var form = native is null ? "stored" : graphs ? "native-3d fp16 cuda-graph" : "native-3d fp16";
            network = Finish(new Loaded(session, modelPath, CudaProvider, form, null), options, bindOnCuda: true);
            var zeros = new float[network.Manifest.InputGrid.Count];
            for (var i = 0; i < CudaWarmUpRuns; i++) network.PredictLabels(zeros);
            problem = string.Empty;
            return network;
        }
        catch (Exception ex) when (ex is OnnxRuntimeException or CudaException or DllNotFoundException or EntryPointNotFoundException or SegmentationException { Reason: SegmentationErrorReason.InferenceFailed })
        {
            network?.Dispose();
            problem = CudaReadiness.Explain(ex.Message, providerPresent: true);
            return null;
        }
    }
}
