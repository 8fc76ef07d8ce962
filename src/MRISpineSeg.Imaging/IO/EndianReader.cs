using System.Buffers.Binary;
using System.Text;

namespace MRISpineSeg.Imaging.IO;

/// <summary>Reads fixed-offset fields from a header buffer in a chosen byte order.</summary>
internal readonly ref struct EndianReader(ReadOnlySpan<byte> buffer, bool bigEndian)
{
    private readonly ReadOnlySpan<byte> _b = buffer;

    public bool BigEndian { get; } = bigEndian;

    public short I16(int o) => BigEndian ? BinaryPrimitives.ReadInt16BigEndian(_b[o..]) : BinaryPrimitives.ReadInt16LittleEndian(_b[o..]);

    public int I32(int o) => BigEndian ? BinaryPrimitives.ReadInt32BigEndian(_b[o..]) : BinaryPrimitives.ReadInt32LittleEndian(_b[o..]);

    public long I64(int o) => BigEndian ? BinaryPrimitives.ReadInt64BigEndian(_b[o..]) : BinaryPrimitives.ReadInt64LittleEndian(_b[o..]);

    public float F32(int o) => BigEndian ? BinaryPrimitives.ReadSingleBigEndian(_b[o..]) : BinaryPrimitives.ReadSingleLittleEndian(_b[o..]);

    public double F64(int o) => BigEndian ? BinaryPrimitives.ReadDoubleBigEndian(_b[o..]) : BinaryPrimitives.ReadDoubleLittleEndian(_b[o..]);

    public byte U8(int o) => _b[o];

    public byte[] Bytes(int o, int n) => _b.Slice(o, n).ToArray();

    /// <summary>A NUL-terminated Latin-1 string field of at most <paramref name="n"/> bytes.</summary>
    public string Str(int o, int n)
    {
        var s = _b.Slice(o, n);
        var end = s.IndexOf((byte)0);
        return Encoding.Latin1.GetString(end < 0 ? s : s[..end]);
    }
}
