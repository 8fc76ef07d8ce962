using System.Buffers.Binary;
using MRISpineSeg.Imaging.IO;

namespace MRISpineSeg.Imaging.Nifti;

/// <summary>
/// Parses and serialises the fixed NIfTI-1 (348 bytes) and NIfTI-2 (540 bytes) headers and their extensions.
/// Byte order is decided by dim[0] (docs/design.md §3): read little-endian, and if dim[0] is outside 1..7 the file is big-endian.
/// </summary>
internal static class NiftiHeaderCodec
{
    public const int Nifti1Size = 348;
    public const int Nifti2Size = 540;

    /// <summary>The most header bytes any version needs.</summary>
    public const int MaxHeaderSize = Nifti2Size;

    private static ReadOnlySpan<byte> Nifti2MagicTail => [0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>Decides the version from sizeof_hdr in either byte order. Needs at least 4 bytes.</summary>
    public static int DetectVersion(ReadOnlySpan<byte> head, string? fileName)
    {
        if (head.Length < 4)
            throw new VolumeFormatException(VolumeErrorReason.TruncatedHeader, fileName, "sizeof_hdr", $"only {head.Length} bytes; a NIfTI header needs 348 (NIfTI-1) or 540 (NIfTI-2)");
        var le = BinaryPrimitives.ReadInt32LittleEndian(head);
        var be = BinaryPrimitives.ReadInt32BigEndian(head);
        if (le == Nifti1Size || be == Nifti1Size) return 1;
        if (le == Nifti2Size || be == Nifti2Size) return 2;
        throw new VolumeFormatException(VolumeErrorReason.UnknownFormat, fileName, "sizeof_hdr", $"is {le} (little-endian) / {be} (big-endian); a NIfTI-1 file has 348 and a NIfTI-2 file 540, so this is not NIfTI");
    }

    public static NiftiHeader Parse(ReadOnlySpan<byte> head, string? fileName)
    {
        var version = DetectVersion(head, fileName);
        var size = version == 2 ? Nifti2Size : Nifti1Size;
        if (head.Length < size)
            throw new VolumeFormatException(VolumeErrorReason.TruncatedHeader, fileName, "header", $"ends after {head.Length} bytes; a NIfTI-{version} header has {size}");
        var dimOffset = version == 2 ? 16 : 40;
        var bigEndian = DetectBigEndian(head, dimOffset, version, fileName);
        var r = new EndianReader(head, bigEndian);
        return version == 2 ? ParseV2(r, head, fileName) : ParseV1(r, fileName);
    }

    private static bool DetectBigEndian(ReadOnlySpan<byte> head, int dimOffset, int version, string? fileName)
    {
        long le = version == 2 ? BinaryPrimitives.ReadInt64LittleEndian(head[dimOffset..]) : BinaryPrimitives.ReadInt16LittleEndian(head[dimOffset..]);
        if (le is >= 1 and <= 7) return false;
        long be = version == 2 ? BinaryPrimitives.ReadInt64BigEndian(head[dimOffset..]) : BinaryPrimitives.ReadInt16BigEndian(head[dimOffset..]);
        if (be is >= 1 and <= 7) return true;
        throw new VolumeFormatException(VolumeErrorReason.InvalidHeader, fileName, "dim[0]", $"is {le} read little-endian and {be} read big-endian; it must be 1..7 in one of them");
    }

    private static NiftiHeader ParseV1(EndianReader r, string? fileName)
    {
        var magic = r.Str(344, 4);
        if (magic is not ("n+1" or "ni1"))
            throw new VolumeFormatException(VolumeErrorReason.InvalidHeader, fileName, "magic", $"is \"{Printable(magic)}\"; a NIfTI-1 file has \"n+1\" (or \"ni1\" for .hdr/.img pairs)");
        var dim = new long[8];
        var pixdim = new double[8];
        for (var i = 0; i < 8; i++)
        {
            dim[i] = r.I16(40 + (2 * i));
            pixdim[i] = r.F32(76 + (4 * i));
        }

        return new NiftiHeader
        {
            Version = 1,
            WasBigEndian = r.BigEndian,
            Magic = magic,
            Legacy = new NiftiLegacyFields
            {
                DataTypeName = r.Bytes(4, 10),
                DbName = r.Bytes(14, 18),
                Extents = r.I32(32),
                SessionError = r.I16(36),
                Regular = r.U8(38),
                GlMax = r.I32(140),
                GlMin = r.I32(144),
            },
            DimInfo = r.U8(39),
            Dim = dim,
            IntentP1 = r.F32(56),
            IntentP2 = r.F32(60),
            IntentP3 = r.F32(64),
            IntentCode = r.I16(68),
            DataType = r.I16(70),
            BitPix = r.I16(72),
            SliceStart = r.I16(74),
            Pixdim = pixdim,
            VoxOffset = VoxOffsetFromFloat(r.F32(108), fileName),
            SclSlope = r.F32(112),
            SclInter = r.F32(116),
            SliceEnd = r.I16(120),
            SliceCode = r.U8(122),
            XyztUnits = r.U8(123),
            CalMax = r.F32(124),
            CalMin = r.F32(128),
            SliceDuration = r.F32(132),
            TOffset = r.F32(136),
            Descrip = r.Str(148, 80),
            AuxFile = r.Str(228, 24),
            QformCode = r.I16(252),
            SformCode = r.I16(254),
            QuaternB = r.F32(256),
            QuaternC = r.F32(260),
            QuaternD = r.F32(264),
            QOffsetX = r.F32(268),
            QOffsetY = r.F32(272),
            QOffsetZ = r.F32(276),
            SrowX = [r.F32(280), r.F32(284), r.F32(288), r.F32(292)],
            SrowY = [r.F32(296), r.F32(300), r.F32(304), r.F32(308)],
            SrowZ = [r.F32(312), r.F32(316), r.F32(320), r.F32(324)],
            IntentName = r.Str(328, 16),
        };
    }

    private static NiftiHeader ParseV2(EndianReader r, ReadOnlySpan<byte> head, string? fileName)
    {
        var magic = r.Str(4, 4);
        if (magic is not ("n+2" or "ni2") || !head.Slice(8, 4).SequenceEqual(Nifti2MagicTail))
            throw new VolumeFormatException(VolumeErrorReason.InvalidHeader, fileName, "magic", $"is \"{Printable(magic)}\"; a NIfTI-2 file has \"n+2\\0\\r\\n\\x1a\\n\"");
        var dim = new long[8];
        var pixdim = new double[8];
        for (var i = 0; i < 8; i++)
        {
            dim[i] = r.I64(16 + (8 * i));
            pixdim[i] = r.F64(104 + (8 * i));
        }

        return new NiftiHeader
        {
            Version = 2,
            WasBigEndian = r.BigEndian,
            Magic = magic,
            DataType = r.I16(12),
            BitPix = r.I16(14),
            Dim = dim,
            IntentP1 = r.F64(80),
            IntentP2 = r.F64(88),
            IntentP3 = r.F64(96),
            Pixdim = pixdim,
            VoxOffset = r.I64(168),
            SclSlope = r.F64(176),
            SclInter = r.F64(184),
            CalMax = r.F64(192),
            CalMin = r.F64(200),
            SliceDuration = r.F64(208),
            TOffset = r.F64(216),
            SliceStart = r.I64(224),
            SliceEnd = r.I64(232),
            Descrip = r.Str(240, 80),
            AuxFile = r.Str(320, 24),
            QformCode = r.I32(344),
            SformCode = r.I32(348),
            QuaternB = r.F64(352),
            QuaternC = r.F64(360),
            QuaternD = r.F64(368),
            QOffsetX = r.F64(376),
            QOffsetY = r.F64(384),
            QOffsetZ = r.F64(392),
            SrowX = [r.F64(400), r.F64(408), r.F64(416), r.F64(424)],
            SrowY = [r.F64(432), r.F64(440), r.F64(448), r.F64(456)],
            SrowZ = [r.F64(464), r.F64(472), r.F64(480), r.F64(488)],
            SliceCode = r.I32(496),
            XyztUnits = r.I32(500),
            IntentCode = r.I32(504),
            IntentName = r.Str(508, 16),
            DimInfo = r.U8(524),
        };
    }

    private static long VoxOffsetFromFloat(float value, string? fileName)
    {
        if (!float.IsFinite(value) || value < 0 || value > int.MaxValue)
            throw new VolumeFormatException(VolumeErrorReason.InvalidHeader, fileName, "vox_offset", $"is {value}; it must be a non-negative byte offset (352 or more for a .nii file)");
        return (long)value;
    }

    /// <summary>
    /// Parses the bytes between the fixed header and vox_offset: a 4-byte extender, then extensions of esize (a multiple
    /// of 16, at least 16) and ecode. A malformed extension list ends parsing; what parsed is kept.
    /// </summary>
    public static IReadOnlyList<NiftiExtension> ParseExtensions(ReadOnlySpan<byte> block, bool bigEndian)
    {
        if (block.Length < 4 || block[0] == 0) return [];
        var list = new List<NiftiExtension>();
        var r = new EndianReader(block, bigEndian);
        var pos = 4;
        while (pos + 8 <= block.Length)
        {
            var esize = r.I32(pos);
            var ecode = r.I32(pos + 4);
            if (esize < 16 || esize % 16 != 0 || esize > block.Length - pos) break;
            list.Add(new NiftiExtension(ecode, block.Slice(pos + 8, esize - 8).ToArray()));
            pos += esize;
        }

        return list;
    }

    /// <summary>Bytes of the extender and extensions as written (always at least the 4-byte extender).</summary>
    public static int ExtensionBlockSize(NiftiHeader h)
    {
        var n = 4;
        foreach (var e in h.Extensions) n += 8 + e.Data.Length;
        return n;
    }

    /// <summary>
    /// Serialises the header, extender and extensions little-endian, with vox_offset set to the first byte after them.
    /// </summary>
    public static byte[] Serialize(NiftiHeader h)
    {
        var size = h.HeaderSize;
        var total = size + ExtensionBlockSize(h);
        var buf = new byte[total];
        var w = new LittleEndianWriter(buf);
        if (h.Version == 2) WriteV2(w, h, total);
        else WriteV1(w, h, total);

        if (h.Extensions.Count > 0)
        {
            buf[size] = 1;
            var pos = size + 4;
            foreach (var e in h.Extensions)
            {
                w.I32(pos, 8 + e.Data.Length);
                w.I32(pos + 4, e.Code);
                w.Bytes(pos + 8, e.Data);
                pos += 8 + e.Data.Length;
            }
        }

        return buf;
    }

    private static void WriteV1(LittleEndianWriter w, NiftiHeader h, long voxOffset)
    {
        w.I32(0, Nifti1Size);
        w.Bytes(4, h.Legacy.DataTypeName.AsSpan(0, Math.Min(10, h.Legacy.DataTypeName.Length)));
        w.Bytes(14, h.Legacy.DbName.AsSpan(0, Math.Min(18, h.Legacy.DbName.Length)));
        w.I32(32, h.Legacy.Extents);
        w.I16(36, h.Legacy.SessionError);
        w.U8(38, h.Legacy.Regular);
        w.U8(39, h.DimInfo);
        for (var i = 0; i < 8; i++)
        {
            w.I16(40 + (2 * i), checked((short)h.Dim[i]));
            w.F32(76 + (4 * i), h.Pixdim[i]);
        }

        w.F32(56, h.IntentP1);
        w.F32(60, h.IntentP2);
        w.F32(64, h.IntentP3);
        w.I16(68, (short)h.IntentCode);
        w.I16(70, h.DataType);
        w.I16(72, h.BitPix);
        w.I16(74, (short)h.SliceStart);
        w.F32(108, voxOffset);
        w.F32(112, h.SclSlope);
        w.F32(116, h.SclInter);
        w.I16(120, (short)h.SliceEnd);
        w.U8(122, (byte)h.SliceCode);
        w.U8(123, (byte)h.XyztUnits);
        w.F32(124, h.CalMax);
        w.F32(128, h.CalMin);
        w.F32(132, h.SliceDuration);
        w.F32(136, h.TOffset);
        w.I32(140, h.Legacy.GlMax);
        w.I32(144, h.Legacy.GlMin);
        w.Str(148, 80, h.Descrip);
        w.Str(228, 24, h.AuxFile);
        w.I16(252, (short)h.QformCode);
        w.I16(254, (short)h.SformCode);
        w.F32(256, h.QuaternB);
        w.F32(260, h.QuaternC);
        w.F32(264, h.QuaternD);
        w.F32(268, h.QOffsetX);
        w.F32(272, h.QOffsetY);
        w.F32(276, h.QOffsetZ);
        for (var i = 0; i < 4; i++)
        {
            w.F32(280 + (4 * i), h.SrowX[i]);
            w.F32(296 + (4 * i), h.SrowY[i]);
            w.F32(312 + (4 * i), h.SrowZ[i]);
        }

        w.Str(328, 16, h.IntentName);
        w.Str(344, 4, "n+1");
    }

    private static void WriteV2(LittleEndianWriter w, NiftiHeader h, long voxOffset)
    {
        w.I32(0, Nifti2Size);
        w.Str(4, 4, "n+2");
        w.Bytes(8, Nifti2MagicTail);
        w.I16(12, h.DataType);
        w.I16(14, h.BitPix);
        for (var i = 0; i < 8; i++)
        {
            w.I64(16 + (8 * i), h.Dim[i]);
            w.F64(104 + (8 * i), h.Pixdim[i]);
        }

        w.F64(80, h.IntentP1);
        w.F64(88, h.IntentP2);
        w.F64(96, h.IntentP3);
        w.I64(168, voxOffset);
        w.F64(176, h.SclSlope);
        w.F64(184, h.SclInter);
        w.F64(192, h.CalMax);
        w.F64(200, h.CalMin);
        w.F64(208, h.SliceDuration);
        w.F64(216, h.TOffset);
        w.I64(224, h.SliceStart);
        w.I64(232, h.SliceEnd);
        w.Str(240, 80, h.Descrip);
        w.Str(320, 24, h.AuxFile);
        w.I32(344, h.QformCode);
        w.I32(348, h.SformCode);
        w.F64(352, h.QuaternB);
        w.F64(360, h.QuaternC);
        w.F64(368, h.QuaternD);
        w.F64(376, h.QOffsetX);
        w.F64(384, h.QOffsetY);
        w.F64(392, h.QOffsetZ);
        for (var i = 0; i < 4; i++)
        {
            w.F64(400 + (8 * i), h.SrowX[i]);
            w.F64(432 + (8 * i), h.SrowY[i]);
            w.F64(464 + (8 * i), h.SrowZ[i]);
        }

        w.I32(496, h.SliceCode);
        w.I32(500, h.XyztUnits);
        w.I32(504, h.IntentCode);
        w.Str(508, 16, h.IntentName);
        w.U8(524, h.DimInfo);
    }

    private static string Printable(string s)
    {
        var chars = s.Select(c => c is >= ' ' and < (char)127 ? c : '?').ToArray();
        return new string(chars);
    }
}
