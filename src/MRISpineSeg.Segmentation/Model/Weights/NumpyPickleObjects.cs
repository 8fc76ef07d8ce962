using System.Collections;
using System.Text;
using Razorvine.Pickle;

namespace MRISpineSeg.Segmentation.Model.Weights;

/// <summary>
/// <c>numpy.dtype(code, align, copy)</c> as a pickle rebuilds it; <c>__setstate__</c> then supplies the byte order.
/// Razorvine calls <c>__setstate__</c> by reflection, hence the Python-style name.
/// </summary>
internal sealed class NumpyDtype
{
    public NumpyDtype(string code)
    {
        Code = code;
    }

    /// <summary>numpy's type code, e.g. <c>f4</c>, <c>f8</c>, <c>f2</c>.</summary>
    public string Code { get; }

    /// <summary><c>&lt;</c> little, <c>&gt;</c> big, <c>|</c> not applicable, <c>=</c> native.</summary>
    public string ByteOrder { get; private set; } = "=";

#pragma warning disable IDE1006 // Razorvine looks this method up by its Python name.
    public void __setstate__(object[] state)
#pragma warning restore IDE1006
    {
        if (state.Length > 1 && state[1] is string order) ByteOrder = order;
    }

    public override string ToString() => ByteOrder + Code;
}

/// <summary>
/// An ndarray as <c>numpy.core.multiarray._reconstruct</c> creates it, filled by <c>__setstate__</c> with
/// <c>(version, shape, dtype, is_fortran, rawdata)</c>.
/// </summary>
internal sealed class NumpyArray
{
    public int[] Shape { get; private set; } = [];

    public NumpyDtype? Dtype { get; private set; }

    public bool IsFortranOrder { get; private set; }

    public byte[]? RawData { get; private set; }

    /// <summary>Set when the state was not one this reader understands (object arrays, unknown layout).</summary>
    public string? Problem { get; private set; }

#pragma warning disable IDE1006 // Razorvine looks this method up by its Python name.
    public void __setstate__(object[] state)
#pragma warning restore IDE1006
    {
        // numpy writes (version, shape, dtype, is_fortran, rawdata); version 0 pickles omit the version.
        var o = state.Length == 5 ? 1 : 0;
        if (state.Length - o != 4 || state[o] is not object[] shape || state[o + 1] is not NumpyDtype dtype)
        {
            Problem = $"unexpected ndarray state with {state.Length} fields";
            return;
        }

        Shape = new int[shape.Length];
        for (var i = 0; i < shape.Length; i++) Shape[i] = Convert.ToInt32(shape[i], System.Globalization.CultureInfo.InvariantCulture);
        Dtype = dtype;
        IsFortranOrder = state[o + 2] is true;
        RawData = state[o + 3] switch
        {
            byte[] b => b,
            string s => Encoding.Latin1.GetBytes(s), // Python 2 pickles carry the buffer as a latin-1 str.
            _ => null,
        };
        if (RawData is null) Problem = $"ndarray data is a {state[o + 3]?.GetType().Name ?? "None"}, not a byte buffer (object arrays are not weights)";
    }
}

/// <summary>Constructs <see cref="NumpyArray"/> for <c>numpy.core.multiarray._reconstruct(ndarray, (0,), b'b')</c>.</summary>
internal sealed class NumpyArrayConstructor : IObjectConstructor
{
    public object construct(object[] args) => new NumpyArray();
}

/// <summary>Constructs <see cref="NumpyDtype"/> for <c>numpy.dtype('f4', False, True)</c>.</summary>
internal sealed class NumpyDtypeConstructor : IObjectConstructor
{
    public object construct(object[] args)
        => args.Length > 0 && args[0] is string code ? new NumpyDtype(code) : throw new PickleException("numpy.dtype without a type code");
}

/// <summary>Keeps <see cref="IDictionary"/> handling in one place for the reader.</summary>
internal static class PickleDict
{
    public static IEnumerable<KeyValuePair<object, object?>> Entries(IDictionary dict)
    {
        foreach (DictionaryEntry e in dict) yield return new(e.Key, e.Value);
    }
}
