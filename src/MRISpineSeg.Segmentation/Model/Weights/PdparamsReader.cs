using System.Buffers.Binary;
using System.Collections;
using System.Security.Cryptography;
using Razorvine.Pickle;

namespace MRISpineSeg.Segmentation.Model.Weights;

/// <summary>
/// Reads PaddleSeg <c>.pdparams</c>: a Python pickle (protocol 2–5 header) of a dict from state_dict key to numpy
/// ndarray. float32, float64 and float16 arrays of either byte order and C or Fortran order become row-major float32.
/// Paddle's <c>StructuredToParameterName@@</c> bookkeeping entry is ignored. No Python runs and no arbitrary class is
/// instantiated: only numpy's array and dtype reconstructors are registered.
/// </summary>
public static class PdparamsReader
{
    private const string StructuredNamesKey = "StructuredToParameterName@@";

    static PdparamsReader()
    {
        var array = new NumpyArrayConstructor();
        var dtype = new NumpyDtypeConstructor();
        foreach (var module in new[] { "numpy.core.multiarray", "numpy._core.multiarray" })
            Unpickler.registerConstructor(module, "_reconstruct", array);
        Unpickler.registerConstructor("numpy", "dtype", dtype);
    }

    /// <summary>Reads a weights file. Errors are <see cref="SegmentationException"/> naming the file (ModelNotFound/InvalidWeights).</summary>
    public static WeightSet Read(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new SegmentationException(SegmentationErrorReason.InvalidWeights, $"{path}: the weights file does not exist", ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new SegmentationException(SegmentationErrorReason.InvalidWeights, $"{path}: the weights file cannot be read: {ex.Message}", ex);
        }

        return Read(bytes, path);
    }

    /// <summary>Reads weights from bytes; <paramref name="source"/> names them in errors.</summary>
    public static WeightSet Read(byte[] bytes, string source)
    {
        if (bytes.Length == 0)
            throw Invalid(source, "the file is empty; expected a .pdparams pickle (paddle.save of a state_dict)");
        if (bytes.Length < 2 || bytes[0] != 0x80 || bytes[1] is < 2 or > 5)
            throw Invalid(source, $"not a Python pickle of protocol 2-5 (first bytes {Convert.ToHexString(bytes.AsSpan(0, Math.Min(4, bytes.Length)))}); expected a .pdparams written by paddle.save");

        object? root;
        try
        {
            using var unpickler = new Unpickler();
            root = unpickler.loads(bytes);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            throw new SegmentationException(SegmentationErrorReason.InvalidWeights, $"{source}: the pickle cannot be read ({ex.GetType().Name}: {ex.Message}); expected a dict of numpy arrays", ex);
        }

        if (root is not IDictionary dict)
            throw Invalid(source, $"the pickle holds a {root?.GetType().Name ?? "None"}, not a dict from parameter name to numpy array");

        var tensors = new Dictionary<string, WeightTensor>(StringComparer.Ordinal);
        var problems = new List<string>();
        foreach (var (k, v) in PickleDict.Entries(dict))
        {
            if (k is not string key)
            {
                problems.Add($"key {k} is a {k.GetType().Name}, not a string");
                continue;
            }

            if (key == StructuredNamesKey) continue;
            if (v is not NumpyArray array)
            {
                problems.Add($"'{key}' is a {v?.GetType().Name ?? "None"}, not a numpy array");
                continue;
            }

            var tensor = ToTensor(key, array, out var problem);
            if (tensor is null) problems.Add($"'{key}': {problem}");
            else tensors.Add(key, tensor);
        }

        if (problems.Count > 0)
            throw Invalid(source, $"{problems.Count} entries are not float arrays: {string.Join("; ", problems)}");
        return new WeightSet(tensors, Convert.ToHexStringLower(SHA256.HashData(bytes)), source);
    }

    private static WeightTensor? ToTensor(string key, NumpyArray a, out string? problem)
    {
        problem = a.Problem;
        if (problem is not null || a.Dtype is null || a.RawData is null) return null;
        var size = a.Dtype.Code switch { "f4" => 4, "f8" => 8, "f2" => 2, _ => 0 };
        if (size == 0)
        {
            problem = $"dtype {a.Dtype} is not float16/32/64";
            return null;
        }

        long count = 1;
        foreach (var d in a.Shape) count *= d;
        if (count * size != a.RawData.Length)
        {
            problem = $"shape {VNet.ParameterSpec.FormatShape(a.Shape)} of {a.Dtype} needs {count * size} bytes, the pickle holds {a.RawData.Length}";
            return null;
        }

        var big = a.Dtype.ByteOrder == ">" || (a.Dtype.ByteOrder == "=" && !BitConverter.IsLittleEndian);
        var data = new float[count];
        var raw = a.RawData.AsSpan();
        for (var i = 0; i < data.Length; i++)
        {
            var s = raw.Slice(i * size, size);
            data[i] = size switch
            {
                4 => big ? BinaryPrimitives.ReadSingleBigEndian(s) : BinaryPrimitives.ReadSingleLittleEndian(s),
                8 => (float)(big ? BinaryPrimitives.ReadDoubleBigEndian(s) : BinaryPrimitives.ReadDoubleLittleEndian(s)),
                _ => (float)(big ? BinaryPrimitives.ReadHalfBigEndian(s) : BinaryPrimitives.ReadHalfLittleEndian(s)),
            };
        }

        if (a.IsFortranOrder && a.Shape.Length > 1) data = FortranToC(data, a.Shape);
        return new WeightTensor(key, a.Shape, data);
    }

    /// <summary>Reorders a column-major buffer to row-major.</summary>
    private static float[] FortranToC(float[] f, int[] shape)
    {
        var c = new float[f.Length];
        var n = shape.Length;
        Span<int> idx = stackalloc int[n];
        for (var fi = 0; fi < f.Length; fi++)
        {
            // idx is the multi-index of fi in Fortran order (first axis fastest).
            var ci = 0;
            for (var d = 0; d < n; d++) ci = (ci * shape[d]) + idx[d];
            c[ci] = f[fi];
            for (var d = 0; d < n; d++)
            {
                if (++idx[d] < shape[d]) break;
                idx[d] = 0;
            }
        }

        return c;
    }

    private static SegmentationException Invalid(string source, string problem)
        => new(SegmentationErrorReason.InvalidWeights, $"{source}: {problem}");
}
