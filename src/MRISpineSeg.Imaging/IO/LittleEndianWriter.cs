using System.Buffers.Binary;
using System.Text;

namespace MRISpineSeg.Imaging.IO;

/// <summary>Writes fixed-offset little-endian fields into a header buffer.</summary>
internal readonly ref struct LittleEndianWriter(Span<byte> buffer)
{
    private readonly Span<byte> _b = buffer;

    public void I16(int o, short v) => BinaryPrimitives.WriteInt16LittleEndian(_b[o..], v);

    public void I32(int o, int v) => BinaryPrimitives.WriteInt32LittleEndian(_b[o..], v);

    public void I64(int o, long v) => BinaryPrimitives.WriteInt64LittleEndian(_b[o..], v);

    public void F32(int o, double v) => BinaryPrimitives.WriteSingleLittleEndian(_b[o..], (float)v);

    public void F64(int o, double v) => BinaryPrimitives.WriteDoubleLittleEndian(_b[o..], v);

    public void U8(int o, byte v) => _b[o] = v;

    public void Bytes(int o, ReadOnlySpan<byte> v) => v.CopyTo(_b[o..]);

    /// <summary>Writes a Latin-1 string into a field of <paramref name="n"/> bytes, truncated and NUL-padded.</summary>
    public void Str(int o, int n, string v)
    {
        var field = _b.Slice(o, n);
        field.Clear();
        var bytes = Encoding.Latin1.GetBytes(v);
        bytes.AsSpan(0, Math.Min(bytes.Length, n)).CopyTo(field);
    }
}
